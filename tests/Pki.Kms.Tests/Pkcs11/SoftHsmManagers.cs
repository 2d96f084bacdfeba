using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Pkcs11;

namespace Smallstep.Pki.Tests.Kms.Pkcs11;

/// <summary>Opens PKCS#11 key managers on SoftHSM2 tokens the way the authority does (through the registration), and disposes them.</summary>
internal sealed class SoftHsmManagers : IAsyncDisposable
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();
    private readonly List<IKeyManager> _opened = [];

    public SoftHsmManagers()
    {
        Hsm = SoftHsm.RequireOrIgnore();
        Token = Hsm.NewToken();
    }

    public SoftHsm Hsm { get; }

    public string Token { get; }

    public string KmsUri => SoftHsm.KmsUri(Token);

    public Pkcs11KeyManager Open(string? kmsUri = null, string? pin = null) =>
        (Pkcs11KeyManager)Track(Open(new KmsConfig { Type = "pkcs11", Uri = kmsUri ?? KmsUri, Pin = pin }));

    public static IKeyManager Open(KmsConfig kms) =>
        Microsoft.Extensions.DependencyInjection.Pkcs11KmsPkiBuilderExtensions.Pkcs11Registration.CreateAsync(new KeyManagerContext(kms, Services), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public IKeyManager Track(IKeyManager manager)
    {
        _opened.Add(manager);
        return manager;
    }

    /// <summary>Makes a key pair with OpenSC's pkcs11-tool, outside our code.</summary>
    public void PkcsToolKeyPair(string keyType, string idHex, string label)
    {
        if (SoftHsm.Which("pkcs11-tool") is null)
        {
            Assert.Ignore("pkcs11-tool (OpenSC) is not installed");
        }
        Hsm.Run("pkcs11-tool", "--module", SoftHsm.ModulePath, "--token-label", Token, "--login", "--pin", SoftHsm.UserPin,
            "--keypairgen", "--key-type", keyType, "--id", idHex, "--label", label);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in _opened)
        {
            await manager.DisposeAsync();
        }
        _opened.Clear();
    }
}
