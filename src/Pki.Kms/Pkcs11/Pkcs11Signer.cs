using System.Formats.Asn1;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft.Signing;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>
/// Signs with a private key on a PKCS#11 token, the way crypto11 (used by step) does: the data is
/// hashed here and the token signs the digest. ECDSA uses CKM_ECDSA with the curve's hash
/// (SHA-256/384/512, as softkms) and turns the token's raw <c>r‖s</c> (PKCS#11 v2.40 Mechanisms
/// §2.3.1) into a DER <c>Ecdsa-Sig-Value</c> (RFC 3279 §2.2.3); RSA uses CKM_RSA_PKCS over the
/// SHA-256 <c>DigestInfo</c> (RFC 8017 §9.2), i.e. sha256WithRSAEncryption as softkms signs, which
/// is also what the SSH signer turns into <c>rsa-sha2-256</c>. A key with CKA_ALWAYS_AUTHENTICATE
/// gets the PIN for every signature (context-specific login). Thread-safe: each signature rents its
/// own session from the token.
/// </summary>
internal sealed class Pkcs11Signer : ICertificateSigner
{
    // DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1).
    private static readonly byte[] Sha256DigestInfo = Convert.FromHexString("3031300d060960864801650304020105000420");

    private readonly Pkcs11Token _token;
    private readonly Pkcs11ObjectName _name;
    private readonly string? _contextPin;
    private readonly HashAlgorithmName _hash;
    private readonly byte[] _algorithmIdentifier;
    private KeyHandle? _handle;

    /// <summary>Creates the signer for a key already found on the token.</summary>
    public Pkcs11Signer(Pkcs11Token token, Pkcs11ObjectName name, byte[] spki, KeyAlgorithm algorithm, string? contextPin)
    {
        _token = token;
        _name = name;
        _contextPin = contextPin;
        SubjectPublicKeyInfo = spki;
        Algorithm = algorithm;
        (_hash, _algorithmIdentifier) = algorithm == KeyAlgorithm.EcdsaP256 ? (HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.EcdsaWithSha256)
            : algorithm == KeyAlgorithm.EcdsaP384 ? (HashAlgorithmName.SHA384, SignatureAlgorithmIdentifiers.EcdsaWithSha384)
            : algorithm == KeyAlgorithm.EcdsaP521 ? (HashAlgorithmName.SHA512, SignatureAlgorithmIdentifiers.EcdsaWithSha512)
            : (HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.Sha256WithRsaEncryption);
    }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    /// <inheritdoc />
    public KeyAlgorithm Algorithm { get; }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> SignatureAlgorithmIdentifier => _algorithmIdentifier;

    /// <inheritdoc />
    /// <exception cref="PkiException">NotFound when the key is gone; Internal when the token refuses to sign.</exception>
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var digest = Hash(data.Span);
        var input = Algorithm.IsEcdsa ? digest : [.. Sha256DigestInfo, .. digest];
        var mechanism = Algorithm.IsEcdsa ? CKM.CKM_ECDSA : CKM.CKM_RSA_PKCS;
        byte[] signature;
        try
        {
            signature = _token.Run(session =>
            {
                var (handle, alwaysAuthenticate) = Handle(session);
                var mech = session.Factories.MechanismFactory.Create(mechanism);
                return alwaysAuthenticate && _contextPin is not null
                    ? session.Sign(mech, handle, _contextPin, input)
                    : session.Sign(mech, handle, input);
            }, cancellationToken);
        }
        catch (Pkcs11Exception e)
        {
            throw PkiException.Internal($"PKCS#11 signing with key ({_name}) on token \"{_token.TokenLabel}\" failed: {Pkcs11Errors.Reason(e)}", e);
        }
        return ValueTask.FromResult(Algorithm.IsEcdsa ? EcdsaDer(signature, Pkcs11PublicKeys.FieldBytes(Algorithm)) : signature);
    }

    /// <summary>
    /// RSA PKCS#1 v1.5 decryption (CKM_RSA_PKCS) with this key, for SCEP. A key that wants the PIN
    /// for every operation (PIV slot 9c) cannot decrypt here; PIV's decryption slot is 9d.
    /// </summary>
    /// <exception cref="Pkcs11Exception">The token refused.</exception>
    public byte[] DecryptRsaPkcs1(ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken)
    {
        var input = ciphertext.ToArray();
        return _token.Run(session => session.Decrypt(session.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS), Handle(session).Handle, input), cancellationToken);
    }

    private byte[] Hash(ReadOnlySpan<byte> data) =>
        _hash == HashAlgorithmName.SHA384 ? SHA384.HashData(data) : _hash == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);

    // Object handles stay valid for every session of the application until the token forgets its
    // sessions (PKCS#11 v2.40 §2.4); the token's epoch says when to look the key up again.
    private (IObjectHandle Handle, bool AlwaysAuthenticate) Handle(ISession session)
    {
        var cached = Volatile.Read(ref _handle);
        var epoch = _token.Epoch;
        if (cached is not null && cached.Epoch == epoch)
        {
            return (cached.Handle, cached.AlwaysAuthenticate);
        }
        var handle = Pkcs11Objects.FindPrivateKey(session, _name)
            ?? throw PkiException.NotFound($"PKCS#11 key ({_name}) is no longer on token \"{_token.TokenLabel}\"");
        var found = new KeyHandle(epoch, handle, Pkcs11Objects.AlwaysAuthenticate(session, handle));
        Volatile.Write(ref _handle, found);
        return (found.Handle, found.AlwaysAuthenticate);
    }

    /// <summary>PKCS#11's ECDSA signature is r and s, each <paramref name="fieldBytes"/> long, big-endian.</summary>
    internal static byte[] EcdsaDer(byte[] raw, int fieldBytes)
    {
        if (raw.Length != 2 * fieldBytes)
        {
            throw PkiException.Internal($"PKCS#11 ECDSA signature has {raw.Length} bytes, expected {2 * fieldBytes}");
        }
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(raw.AsSpan(0, fieldBytes)));
            writer.WriteIntegerUnsigned(Minimal(raw.AsSpan(fieldBytes)));
        }
        return writer.Encode();
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }
        return value[start..];
    }

    private sealed record KeyHandle(int Epoch, IObjectHandle Handle, bool AlwaysAuthenticate);
}
