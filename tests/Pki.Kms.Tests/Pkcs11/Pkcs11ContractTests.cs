using Smallstep.Pki.Keys;
using Smallstep.Pki.Tests.Kms.Contract;

namespace Smallstep.Pki.Tests.Kms.Pkcs11;

/// <summary>The key manager contract against a SoftHSM2 token of its own.</summary>
public sealed class Pkcs11ContractTests : KeyManagerContract
{
    private SoftHsmManagers? _managers;
    private int _next;

    protected override IEnumerable<KeyAlgorithm> SupportedAlgorithms => [KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384, KeyAlgorithm.EcdsaP521, KeyAlgorithm.Rsa];

    [OneTimeSetUp]
    public void StartToken() => _managers = new SoftHsmManagers();

    [OneTimeTearDown]
    public async Task StopToken()
    {
        if (_managers is not null)
        {
            await _managers.DisposeAsync();
        }
    }

    protected override IKeyManager CreateManager() => _managers!.Open();

    protected override string NewKeyName()
    {
        var n = Interlocked.Increment(ref _next);
        return $"pkcs11:id={n:x4};object=contract-{n}";
    }
}
