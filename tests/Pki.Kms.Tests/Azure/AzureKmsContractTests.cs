using Smallstep.Pki.Keys;
using Smallstep.Pki.Tests.Kms.Contract;

namespace Smallstep.Pki.Tests.Kms.Azure;

/// <summary>The key manager contract against the local Key Vault REST server (real keys, tokens from its Entra endpoint).</summary>
public sealed class AzureKmsContractTests : KeyManagerContract
{
    private LocalAzureKeyVault _vault = null!;
    private readonly List<IKeyManager> _managers = [];

    [OneTimeSetUp]
    public async Task StartServer() => _vault = await LocalAzureKeyVault.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _vault.DisposeAsync();

    /// <summary>Key Vault signs with P-256, P-384, P-521 and RSA; it has no Ed25519 keys.</summary>
    protected override IEnumerable<KeyAlgorithm> SupportedAlgorithms => [KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384, KeyAlgorithm.EcdsaP521, KeyAlgorithm.Rsa];

    protected override IKeyManager CreateManager()
    {
        var manager = _vault.Manager();
        _managers.Add(manager);
        return manager;
    }

    protected override string NewKeyName() => _vault.NewKeyName();

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
