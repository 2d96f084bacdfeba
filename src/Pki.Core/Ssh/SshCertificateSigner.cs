using System.Formats.Asn1;
using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// Builds and signs OpenSSH certificates (PROTOCOL.certkeys; smallstep/crypto
/// <c>sshutil.CreateCertificate</c>): nonce, subject key fields, serial, type, key id,
/// principals, validity, critical options and extensions (each sorted by name, values
/// string-wrapped when not empty), reserved, CA key, then one signature by the CA's
/// <see cref="ICertificateSigner"/>. A missing nonce becomes 32 random printable characters
/// and a zero serial a random one, as step does. RSA CAs sign with <c>rsa-sha2-256</c> or
/// <c>rsa-sha2-512</c> as their signer hashes; ECDSA and Ed25519 with their natural algorithm.
/// Stateless and thread-safe.
/// </summary>
public static class SshCertificateSigner
{
    /// <summary>The largest certificate produced, in bytes.</summary>
    public const int MaxCertificateBytes = 1 << 18;

    private const int NonceLength = 32;

    /// <summary>Signs <paramref name="description"/> for <paramref name="subjectKey"/> with the CA <paramref name="signer"/>.</summary>
    /// <param name="description">The certificate contents (a rendered template, with validity applied).</param>
    /// <param name="subjectKey">The key being certified.</param>
    /// <param name="signer">The user or host CA key.</param>
    /// <param name="cancellationToken">Cancels a remote signature.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="PkiException">BadRequest: no certificate type, or the certificate is too large; Internal: the signer's algorithm cannot sign SSH certificates.</exception>
    public static async Task<SshCertificate> SignAsync(
        SshCertificateDescription description, SshPublicKey subjectKey, ICertificateSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(subjectKey);
        ArgumentNullException.ThrowIfNull(signer);
        if (description.Type is not (SshCertificateType.User or SshCertificateType.Host))
        {
            throw PkiException.BadRequest($"ssh certificate has an unknown type: {(int)description.Type}");
        }

        var (algorithm, encode) = SignatureFormat(signer);
        var caKey = SshPublicKey.FromSubjectPublicKeyInfo(signer.SubjectPublicKeyInfo.Span);
        var final = description with
        {
            Nonce = description.Nonce.IsEmpty ? RandomNonce() : description.Nonce,
            Serial = description.Serial == 0 ? RandomSerial() : description.Serial,
        };

        var toBeSigned = ToBeSigned(final, subjectKey, caKey);
        var signature = encode(await signer.SignAsync(toBeSigned, cancellationToken).ConfigureAwait(false));
        var blob = new SshWireWriter()
            .Raw(toBeSigned)
            .String(new SshWireWriter().String(algorithm).String(signature).ToArray())
            .ToArray();
        return new SshCertificate(subjectKey.CertificateType, blob, final, caKey);
    }

    /// <summary>Fields 1-13 of PROTOCOL.certkeys §2: everything the signature covers.</summary>
    private static byte[] ToBeSigned(SshCertificateDescription d, SshPublicKey subjectKey, SshPublicKey caKey)
    {
        var writer = new SshWireWriter().String(subjectKey.CertificateType).String(d.Nonce.Span);

        // The subject key's fields follow the nonce: its blob without the leading type name.
        var reader = new SshWireReader(subjectKey.Blob.Span);
        reader.TryReadString(out var typeName);
        writer.Raw(subjectKey.Blob.Span[(4 + typeName.Length)..]);

        var principals = new SshWireWriter();
        foreach (var principal in d.Principals)
        {
            principals.String(principal);
        }

        writer.UInt64(d.Serial)
            .UInt32((uint)d.Type)
            .String(d.KeyId)
            .String(principals.ToArray())
            .UInt64(Seconds(d.ValidAfter))
            .UInt64(Seconds(d.ValidBefore))
            .String(Options(d.CriticalOptions))
            .String(Options(d.Extensions))
            .String(d.Reserved.Span)
            .String(caKey.Blob.Span);
        return writer.Length <= MaxCertificateBytes
            ? writer.ToArray()
            : throw PkiException.BadRequest($"ssh certificate is larger than {MaxCertificateBytes} bytes");
    }

    /// <summary>Name/data pairs sorted by name; non-empty data is itself a string (x/crypto/ssh marshalTuples).</summary>
    private static byte[] Options(IReadOnlyDictionary<string, string> options)
    {
        var writer = new SshWireWriter();
        foreach (var (name, value) in options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            writer.String(name).String(value.Length == 0 ? [] : new SshWireWriter().String(value).ToArray());
        }

        return writer.ToArray();
    }

    /// <summary>Go's zero time is 0 on the wire (sshutil <c>toValidity</c>); times before 1970 are refused.</summary>
    private static ulong Seconds(DateTimeOffset? time) => time is null
        ? 0
        : time.Value.ToUnixTimeSeconds() is var seconds and >= 0 ? (ulong)seconds : throw PkiException.BadRequest("ssh certificate validity is before 1970");

    /// <summary>The SSH signature algorithm name and the conversion from the signer's X.509-style signature.</summary>
    private static (string Algorithm, Func<byte[], byte[]> Encode) SignatureFormat(ICertificateSigner signer)
    {
        var oid = SignatureOid(signer.SignatureAlgorithmIdentifier.Span);
        var algorithm = signer.Algorithm;
        // KeyAlgorithm is an open set (not constants), so this is a chain of comparisons, not a pattern switch.
        if (algorithm == KeyAlgorithm.Ed25519)
        {
            return ("ssh-ed25519", s => s);
        }
        if (algorithm == KeyAlgorithm.EcdsaP256 && oid == "1.2.840.10045.4.3.2")
        {
            return ("ecdsa-sha2-nistp256", EcdsaSignature);
        }
        if (algorithm == KeyAlgorithm.EcdsaP384 && oid == "1.2.840.10045.4.3.3")
        {
            return ("ecdsa-sha2-nistp384", EcdsaSignature);
        }
        if (algorithm == KeyAlgorithm.EcdsaP521 && oid == "1.2.840.10045.4.3.4")
        {
            return ("ecdsa-sha2-nistp521", EcdsaSignature);
        }
        if (algorithm == KeyAlgorithm.Rsa && oid is "1.2.840.113549.1.1.11" or "1.2.840.113549.1.1.13")
        {
            return (oid == "1.2.840.113549.1.1.11" ? "rsa-sha2-256" : "rsa-sha2-512", s => s);
        }
        throw PkiException.Internal($"a {algorithm} signer with signature algorithm {oid} cannot sign ssh certificates");
    }

    /// <summary>RFC 5656 §3.1.2: the DER Ecdsa-Sig-Value's r and s as two mpints.</summary>
    private static byte[] EcdsaSignature(byte[] der)
    {
        try
        {
            var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var r = sequence.ReadIntegerBytes();
            var s = sequence.ReadIntegerBytes();
            return new SshWireWriter().Mpint(r.Span).Mpint(s.Span).ToArray();
        }
        catch (AsnContentException e)
        {
            throw PkiException.Internal("the signer returned an invalid ECDSA signature", e);
        }
    }

    private static string SignatureOid(ReadOnlySpan<byte> algorithmIdentifier)
    {
        try
        {
            return new AsnReader(algorithmIdentifier.ToArray(), AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException e)
        {
            throw PkiException.Internal("the signer has an invalid signature algorithm identifier", e);
        }
    }

    /// <summary>step's nonce: 32 random characters from '!' to '~' (randutil.ASCII).</summary>
    private static byte[] RandomNonce() =>
        System.Text.Encoding.ASCII.GetBytes(RandomNumberGenerator.GetString(string.Concat(Enumerable.Range(33, 94).Select(c => (char)c)), NonceLength));

    private static ulong RandomSerial() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
}
