using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Provisioners.X5c;

/// <summary>
/// Verifies the <c>x5c</c> header of a token (RFC 7515 §4.1.6: standard-base64 DER certificates, leaf
/// first) against a provisioner's roots, as step-ca does with go-jose's <c>Header.Certificates</c>
/// and Go's <c>x509.Verify</c> (authority/provisioner/x5c.go <c>authorizeToken</c>): every link valid
/// at the verification time, intermediates taken only from the header, extended key usage
/// clientAuth, and a leaf with the digitalSignature key usage. Stricter than step-ca: the leaf must not
/// be a CA, the header holds at most <see cref="MaxCertificates"/> strict DER certificates, and no
/// link but the root may be revoked here. Stateless and thread-safe.
/// </summary>
internal static class X5cCertificateChain
{
    /// <summary>The most certificates a header may carry (leaf and intermediates), bounding the work on hostile input.</summary>
    public const int MaxCertificates = 8;

    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>Decodes the header's certificates; a 401 for an empty, too long or malformed list.</summary>
    /// <param name="x5c">The header member.</param>
    /// <returns>The certificates, leaf first; the caller disposes them.</returns>
    public static List<X509Certificate2> Decode(IReadOnlyList<string>? x5c)
    {
        if (x5c is not { Count: > 0 })
        {
            throw Refused("x5c header is missing or empty");
        }
        if (x5c.Count > MaxCertificates)
        {
            throw Refused($"x5c header has {x5c.Count} certificates, more than {MaxCertificates}");
        }
        var certificates = new List<X509Certificate2>(x5c.Count);
        try
        {
            foreach (var encoded in x5c)
            {
                certificates.Add(LoadDer(encoded));
            }
            return certificates;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or AsnContentException)
        {
            certificates.ForEach(c => c.Dispose());
            throw Refused("x5c header has a certificate that is not valid DER", e);
        }
    }

    /// <summary>
    /// Verifies that <paramref name="chain"/>[0] chains to one of <paramref name="roots"/> through
    /// the other header certificates only, at <paramref name="now"/>; returns the leaf.
    /// </summary>
    /// <param name="chain">The decoded header, leaf first.</param>
    /// <param name="roots">The provisioner's roots.</param>
    /// <param name="now">The verification time (the injected clock).</param>
    /// <exception cref="PkiException">Unauthorized when the chain does not verify or the leaf may not sign tokens.</exception>
    public static X509Certificate2 Verify(IReadOnlyList<X509Certificate2> chain, IReadOnlyList<X509Certificate2> roots, DateTimeOffset now)
    {
        var leaf = chain[0];
        using var verifier = new X509Chain();
        var policy = verifier.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(roots.ToArray());
        policy.ExtraStore.AddRange(chain.Skip(1).ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck;
        // Go's Verify never fetches issuers (AIA); neither may we, or a chain could complete through
        // an intermediate the client did not send.
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.ApplicationPolicy.Add(new Oid(ClientAuth));
        try
        {
            if (!verifier.Build(leaf))
            {
                throw Refused("error verifying x5c certificate chain in token: "
                    + string.Join("; ", verifier.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct()));
            }
            RequireHeaderLinks(verifier, chain, roots);
        }
        catch (CryptographicException e)
        {
            throw Refused("error verifying x5c certificate chain in token", e);
        }
        var constraints = leaf.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is { CertificateAuthority: true })
        {
            throw Refused("certificate used to sign x5c token is a CA certificate");
        }
        // Go: KeyUsage & DigitalSignature == 0 refuses a leaf without the extension too.
        var usage = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is null || !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            throw Refused("certificate used to sign x5c token cannot be used for digital signature");
        }
        return leaf;
    }

    /// <summary>Refuses (401) when a certificate of the chain but the root is revoked in <paramref name="revocations"/>.</summary>
    /// <param name="chain">The verified header certificates, leaf first.</param>
    /// <param name="revocations">The authority's revocations.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    public static async ValueTask RequireNotRevokedAsync(IReadOnlyList<X509Certificate2> chain, IRevocationStore revocations, CancellationToken cancellationToken)
    {
        foreach (var certificate in chain)
        {
            var serial = SerialNumberText.FromCertificate(certificate);
            if (await revocations.IsRevokedAsync(serial, cancellationToken).ConfigureAwait(false))
            {
                throw Refused($"certificate with serial number {serial} in the x5c header has been revoked");
            }
        }
    }

    // Go's Verify takes intermediates from the header only. X509Chain may also find issuers in the
    // system stores, so every link it used below the root must be one the client sent, and the
    // top one must be a configured root.
    private static void RequireHeaderLinks(X509Chain built, IReadOnlyList<X509Certificate2> header, IReadOnlyList<X509Certificate2> roots)
    {
        var elements = built.ChainElements;
        for (var i = 0; i < elements.Count; i++)
        {
            var raw = elements[i].Certificate.RawDataMemory;
            var isTop = i == elements.Count - 1;
            var allowed = isTop ? roots : header;
            if (!allowed.Any(c => c.RawDataMemory.Span.SequenceEqual(raw.Span)))
            {
                throw Refused(isTop
                    ? "error verifying x5c certificate chain in token: it does not end at a root of the provisioner"
                    : "error verifying x5c certificate chain in token: it needs an intermediate that is not in the x5c header");
            }
        }
    }

    // RFC 7515 §4.1.6: each entry is base64 (not base64url) of exactly one DER certificate; Go's
    // x509.ParseCertificate refuses trailing data, and so do we.
    private static X509Certificate2 LoadDer(string encoded)
    {
        var der = Convert.FromBase64String(encoded);
        AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.DER, out _, out _, out var consumed);
        if (consumed != der.Length || der.Length == 0 || der[0] != 0x30)
        {
            throw new FormatException("not one DER SEQUENCE");
        }
        return X509CertificateLoader.LoadCertificate(der);
    }

    private static PkiException Refused(string reason, Exception? inner = null) => PkiException.Unauthorized("x5c.authorizeToken; " + reason, inner);
}
