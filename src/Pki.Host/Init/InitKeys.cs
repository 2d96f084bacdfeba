using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Host.Kms;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Host.Init;

/// <summary>
/// The CA keys <c>init</c> makes: encrypted PEM files (step's default), or keys created in the key
/// manager <c>--kms</c> names, through the host's registrations (<see cref="HostKeyManagers"/>), so
/// every registered <c>kms.type</c> works. What ca.json then says: <c>key</c> and, for a KMS, the
/// <c>kms</c> block.
/// </summary>
internal sealed class InitKeys : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    private InitKeys(ICertificateSigner root, ReadOnlyMemory<byte> intermediate, string intermediateKey, KmsConfig? kms, IAsyncDisposable owner)
    {
        RootSigner = root;
        IntermediatePublicKey = intermediate;
        IntermediateKey = intermediateKey;
        Kms = kms;
        _owner = owner;
    }

    /// <summary>Signs the root and intermediate certificates.</summary>
    public ICertificateSigner RootSigner { get; }

    /// <summary>The intermediate's SubjectPublicKeyInfo.</summary>
    public ReadOnlyMemory<byte> IntermediatePublicKey { get; }

    /// <summary>ca.json <c>key</c>: a file path or a key URI.</summary>
    public string IntermediateKey { get; }

    /// <summary>ca.json <c>kms</c>, or null for softkms files.</summary>
    public KmsConfig? Kms { get; }

    /// <summary>Key names for a KMS type when <c>--kms-root</c>/<c>--kms-intermediate</c> are not given: the seed's examples.</summary>
    public static (string Root, string Intermediate)? DefaultKmsKeyNames(string type) => type switch
    {
        "pkcs11" => ("pkcs11:id=7331;object=root-ca", "pkcs11:id=7332;object=intermediate-ca"),
        "yubikey" => ("yubikey:slot-id=82", "yubikey:slot-id=83"),
        _ => null,
    };

    /// <summary>Generates P-256 keys and writes them encrypted with the CA password (mode 0600) to the two paths.</summary>
    public static InitKeys CreateFiles(string password, string rootPath, string intermediatePath, Action<string, string> writeSecret)
    {
        var root = SoftPrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var intermediate = SoftPrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var owner = new KeyOwner(root, intermediate);
        try
        {
            writeSecret(rootPath, EncryptedPemWriter.Write(root, password));
            writeSecret(intermediatePath, EncryptedPemWriter.Write(intermediate, password));
            return new InitKeys(root.Signer, intermediate.SubjectPublicKeyInfo, intermediatePath, kms: null, owner);
        }
        catch
        {
            owner.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Creates P-256 root and intermediate keys in the key manager <paramref name="kmsUri"/> selects.</summary>
    /// <exception cref="UsageException">No manager for the URI's type, or no key names for it.</exception>
    public static async Task<InitKeys> CreateInKmsAsync(string kmsUri, string? rootName, string? intermediateName, CancellationToken cancellationToken)
    {
        var type = KeyManagerRegistry.SchemeOf(kmsUri);
        var defaults = DefaultKmsKeyNames(type);
        rootName ??= defaults?.Root ?? throw new UsageException($"--kms {type} needs --kms-root and --kms-intermediate (the key names in that key manager)");
        intermediateName ??= defaults?.Intermediate ?? throw new UsageException($"--kms {type} needs --kms-intermediate");
        var opened = await HostKeyManagers.OpenAsync(kmsUri, new PasswordSource(null, null), cancellationToken).ConfigureAwait(false);
        try
        {
            var root = await opened.Manager.CreateKeyAsync(new CreateKeyRequest(rootName, KeyAlgorithm.EcdsaP256), cancellationToken).ConfigureAwait(false);
            var intermediate = await opened.Manager.CreateKeyAsync(new CreateKeyRequest(intermediateName, KeyAlgorithm.EcdsaP256), cancellationToken).ConfigureAwait(false);
            var rootSigner = await opened.Manager.GetSignerAsync(root.KeyUri, cancellationToken).ConfigureAwait(false);
            return new InitKeys(rootSigner, intermediate.SubjectPublicKeyInfo, intermediate.KeyUri, opened.Kms, opened);
        }
        catch
        {
            await opened.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Releases the keys or the key manager.</summary>
    public ValueTask DisposeAsync() => _owner.DisposeAsync();

    private sealed class KeyOwner(SoftPrivateKey root, SoftPrivateKey intermediate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            root.Dispose();
            intermediate.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
