using Smallstep.Pki.Keys;
using Smallstep.Pki.Tests.Kms.Contract;

namespace Smallstep.Pki.Tests.Kms.GoogleCloud;

/// <summary>The key manager contract against the local Cloud KMS REST server (real keys, OAuth tokens from its token endpoint).</summary>
public sealed class GoogleCloudKmsContractTests : KeyManagerContract
{
    private LocalGoogleCloudKms _kms = null!;
    private readonly List<IKeyManager> _managers = [];

    [OneTimeSetUp]
    public async Task StartServer() => _kms = await LocalGoogleCloudKms.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _kms.DisposeAsync();

    /// <summary>Cloud KMS signs with P-256, P-384 and RSA; it has no P-521 or Ed25519 signing keys.</summary>
    protected override IEnumerable<KeyAlgorithm> SupportedAlgorithms => [KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384, KeyAlgorithm.Rsa];

    protected override IKeyManager CreateManager()
    {
        var manager = _kms.ManagerAsync().GetAwaiter().GetResult();
        _managers.Add(manager);
        return manager;
    }

    protected override string NewKeyName() => _kms.NewCryptoKeyName();

    // Signers open key versions; a crypto key name without one is a malformed name, not a missing key.
    protected override string MissingKeyName() => NewKeyName() + "/cryptoKeyVersions/1";

    [TearDown]
    public async Task DisposeManagers()
    {
        foreach (var manager in _managers)
        {
            await manager.DisposeAsync();
        }
        _managers.Clear();
    }
}
