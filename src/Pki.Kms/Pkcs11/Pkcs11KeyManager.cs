using System.Collections.Concurrent;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>
/// step's PKCS#11 key manager (go.step.sm/crypto <c>kms/pkcs11</c>): keys live on one token of a
/// PKCS#11 module and are named by <c>pkcs11:id=...;object=...</c> URIs (or, for the YubiKey
/// manager, by PIV slot). It holds a pool of sessions on the token (see <c>max-sessions</c>) and
/// logs in again after a token reset. Signers are cached per key for the manager's lifetime.
/// Thread-safe; disposing it closes the sessions, after which its signers must not be used.
/// </summary>
public sealed class Pkcs11KeyManager : IKeyManager, IKeyDecrypter
{
    private readonly Pkcs11Token _token;
    private readonly Pkcs11KeyNaming _naming;
    private readonly string? _contextPin;
    private readonly string? _securityOfficerPin;
    private readonly ConcurrentDictionary<Pkcs11ObjectName, Pkcs11Signer> _signers = new(ObjectNameComparer.Instance);
    private int _disposed;

    internal Pkcs11KeyManager(Pkcs11Token token, Pkcs11KeyNaming naming, string? contextPin, string? securityOfficerPin)
    {
        _token = token;
        _naming = naming;
        _contextPin = contextPin;
        _securityOfficerPin = securityOfficerPin;
    }

    /// <summary>The token (tests simulate a reset with it).</summary>
    internal Pkcs11Token Token => _token;

    /// <summary>Returns the DER SubjectPublicKeyInfo of the key the URI names.</summary>
    /// <exception cref="PkiException">BadRequest for a URI naming no key; NotFound when the token has no such key.</exception>
    public ValueTask<ReadOnlyMemory<byte>> GetPublicKeyAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Signer(keyUri, cancellationToken).SubjectPublicKeyInfo);
    }

    /// <summary>
    /// Generates a key pair on the token (CKM_EC_KEY_PAIR_GEN on P-256/P-384/P-521, or
    /// CKM_RSA_PKCS_KEY_PAIR_GEN with 2048-4096 bits and e = 65537) with the URI's CKA_ID and
    /// CKA_LABEL on both halves, private, sensitive and not extractable, as crypto11 does for step.
    /// A key that already exists under the name is never replaced.
    /// </summary>
    /// <exception cref="PkiException">BadRequest: unusable name or algorithm; Conflict: the key exists; Internal: the token refused.</exception>
    public ValueTask<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var (name, keyUri) = _naming.ForCreate(request.Name);
        var (mechanism, publicTemplate, privateTemplate) = Templates(name, request);
        try
        {
            IObjectHandle Generate(ISession session)
            {
                if (Pkcs11Objects.FindPrivateKey(session, name) is not null)
                {
                    throw PkiException.Conflict($"PKCS#11 key ({name}) already exists on token \"{_token.TokenLabel}\"");
                }
                var factories = session.Factories;
                session.GenerateKeyPair(factories.MechanismFactory.Create(mechanism), Attributes(factories, publicTemplate), Attributes(factories, privateTemplate), out _, out var privateKey);
                return privateKey;
            }
            if (_securityOfficerPin is not null)
            {
                _token.RunAsSecurityOfficer(_securityOfficerPin, Generate, cancellationToken);
            }
            else
            {
                _token.Run(Generate, cancellationToken);
            }
        }
        catch (Pkcs11Exception e)
        {
            throw PkiException.Internal($"PKCS#11 key generation ({name}) on token \"{_token.TokenLabel}\" failed: {Pkcs11Errors.Reason(e)}", e);
        }
        _signers.TryRemove(name, out _);
        return ValueTask.FromResult(new CreatedKey(keyUri, Signer(request.Name, cancellationToken).SubjectPublicKeyInfo));
    }

    /// <summary>Opens (or returns the cached) signer of the key the URI names.</summary>
    /// <exception cref="PkiException">BadRequest for a URI naming no key or an unsupported key; NotFound when the token has no such key.</exception>
    public ValueTask<ICertificateSigner> GetSignerAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<ICertificateSigner>(Signer(keyUri, cancellationToken));
    }

    /// <summary>RSA PKCS#1 v1.5 decryption on the token (SCEP's decrypter key).</summary>
    /// <exception cref="PkiException">BadRequest when the key is not RSA or the ciphertext does not decrypt; NotFound when there is no such key.</exception>
    public ValueTask<byte[]> DecryptAsync(string keyUri, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var signer = Signer(keyUri, cancellationToken);
        if (signer.Algorithm != KeyAlgorithm.Rsa)
        {
            throw PkiException.BadRequest($"PKCS#11 key ({_naming.Parse(keyUri)}) is {signer.Algorithm}; decryption needs an RSA key");
        }
        try
        {
            return ValueTask.FromResult(signer.DecryptRsaPkcs1(ciphertext, cancellationToken));
        }
        catch (Pkcs11Exception e) when (!Pkcs11Errors.IsSessionLost(e.RV) && e.RV is not (CKR.CKR_DEVICE_ERROR or CKR.CKR_DEVICE_MEMORY or CKR.CKR_FUNCTION_NOT_SUPPORTED))
        {
            // Modules report bad padding in their own way (SoftHSM2: CKR_GENERAL_ERROR, others
            // CKR_ENCRYPTED_DATA_INVALID); the ciphertext came from a client, as in softkms.
            throw PkiException.BadRequest($"RSA decryption failed: {e.RV}", e);
        }
        catch (Pkcs11Exception e)
        {
            throw PkiException.Internal($"PKCS#11 decryption on token \"{_token.TokenLabel}\" failed: {Pkcs11Errors.Reason(e)}", e);
        }
    }

    /// <summary>Closes the sessions and releases the module (step's <c>Close</c>). Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _signers.Clear();
            _token.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private Pkcs11Signer Signer(string keyUri, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var name = _naming.Parse(keyUri);
        if (_signers.TryGetValue(name, out var cached))
        {
            return cached;
        }
        try
        {
            var (spki, algorithm) = _token.Run(session =>
            {
                var handle = Pkcs11Objects.FindPrivateKey(session, name)
                    ?? throw PkiException.NotFound($"no PKCS#11 private key ({name}) on token \"{_token.TokenLabel}\"");
                return Pkcs11PublicKeys.Read(session, handle, name);
            }, cancellationToken);
            return _signers.GetOrAdd(name, new Pkcs11Signer(_token, name, spki, algorithm, _contextPin));
        }
        catch (Pkcs11Exception e)
        {
            throw PkiException.Internal($"PKCS#11 lookup of key ({name}) on token \"{_token.TokenLabel}\" failed: {Pkcs11Errors.Reason(e)}", e);
        }
    }

    private (CKM Mechanism, List<(CKA, object)> Public, List<(CKA, object)> Private) Templates(Pkcs11ObjectName name, CreateKeyRequest request)
    {
        var isRsa = request.Algorithm == KeyAlgorithm.Rsa;
        if (!isRsa && !request.Algorithm.IsEcdsa)
        {
            throw PkiException.BadRequest($"PKCS#11 keys can be EC P-256, P-384, P-521 or RSA, not {request.Algorithm}");
        }
        if (isRsa && request.RsaBits is < 2048 or > 4096)
        {
            throw PkiException.BadRequest($"PKCS#11 RSA keys have 2048 to 4096 bits, not {request.RsaBits}");
        }
        List<(CKA, object)> common = [(CKA.CKA_TOKEN, true)];
        if (name.Id is not null)
        {
            common.Add((CKA.CKA_ID, name.Id));
        }
        if (name.Label is not null)
        {
            common.Add((CKA.CKA_LABEL, name.Label));
        }
        List<(CKA, object)> publicTemplate = [.. common];
        List<(CKA, object)> privateTemplate = [.. common];
        if (isRsa)
        {
            publicTemplate.Add((CKA.CKA_MODULUS_BITS, (ulong)request.RsaBits));
            publicTemplate.Add((CKA.CKA_PUBLIC_EXPONENT, new byte[] { 1, 0, 1 }));
        }
        else
        {
            publicTemplate.Add((CKA.CKA_EC_PARAMS, Pkcs11PublicKeys.EcParameters(request.Algorithm)));
        }
        if (_naming.SetsUsageAttributes)
        {
            publicTemplate.Add((CKA.CKA_VERIFY, true));
            privateTemplate.AddRange([(CKA.CKA_PRIVATE, true), (CKA.CKA_SENSITIVE, true), (CKA.CKA_EXTRACTABLE, false), (CKA.CKA_SIGN, true)]);
            if (isRsa)
            {
                publicTemplate.Add((CKA.CKA_ENCRYPT, true));
                privateTemplate.Add((CKA.CKA_DECRYPT, true));
            }
        }
        return (isRsa ? CKM.CKM_RSA_PKCS_KEY_PAIR_GEN : CKM.CKM_EC_KEY_PAIR_GEN, publicTemplate, privateTemplate);
    }

    private static List<IObjectAttribute> Attributes(Pkcs11InteropFactories factories, List<(CKA Type, object Value)> template) =>
        template.Select(a => a.Value switch
        {
            bool b => factories.ObjectAttributeFactory.Create(a.Type, b),
            ulong u => factories.ObjectAttributeFactory.Create(a.Type, u),
            byte[] bytes => factories.ObjectAttributeFactory.Create(a.Type, bytes),
            string s => factories.ObjectAttributeFactory.Create(a.Type, s),
            _ => throw new InvalidOperationException($"unexpected attribute value for {a.Type}"),
        }).ToList();

    // Object names are records with a byte[] member; compare the bytes.
    private sealed class ObjectNameComparer : IEqualityComparer<Pkcs11ObjectName>
    {
        public static ObjectNameComparer Instance { get; } = new();

        public bool Equals(Pkcs11ObjectName? x, Pkcs11ObjectName? y) =>
            x is not null && y is not null && x.Label == y.Label && (x.Id ?? []).AsSpan().SequenceEqual(y.Id ?? []);

        public int GetHashCode(Pkcs11ObjectName obj) => HashCode.Combine(obj.Label, Convert.ToHexString(obj.Id ?? []));
    }
}
