using Smallstep.Pki.Keys;
using Smallstep.Pki.Tests.Kms.Contract;

namespace Smallstep.Pki.Tests.Kms.Aws;

/// <summary>The key-manager contract for awskms, through the SDK against the local AWS KMS server.</summary>
[TestFixture]
public sealed class AwsKmsContractTests : KeyManagerContract
{
    private LocalAwsKms _kms = null!;
    private int _names;

    [OneTimeSetUp]
    public async Task StartServer() => _kms = await LocalAwsKms.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _kms.DisposeAsync();

    protected override IKeyManager CreateManager() => _kms.CreateManager();

    protected override string NewKeyName() => $"contract-{Interlocked.Increment(ref _names)}";

    /// <summary>AWS KMS has ECC_NIST_P256/384/521 and RSA; step's awskms creates no Ed25519 keys.</summary>
    protected override IEnumerable<KeyAlgorithm> SupportedAlgorithms => [KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384, KeyAlgorithm.EcdsaP521, KeyAlgorithm.Rsa];

    /// <summary>step's awskms names keys by id and gives each its own alias, so a second key under a name is a new key.</summary>
    protected override bool SecondKeyUnderOneNameIsNewKey => true;
}
