using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Tests.Kms.Contract;

namespace Smallstep.Pki.Tests.Kms.Soft;

/// <summary>The key manager contract against softkms files in a temporary directory.</summary>
public sealed class SoftKmsContractTests : KeyManagerContract, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<SoftKeyManager> _managers = [];
    private int _next;

    protected override IKeyManager CreateManager()
    {
        var manager = new SoftKeyManager(new SoftKmsOptions { BaseDirectory = _dir.Path, PasswordProvider = _ => "contract-password" });
        _managers.Add(manager);
        return manager;
    }

    protected override string NewKeyName() => $"softkms:path=secrets/key-{Interlocked.Increment(ref _next)}";

    [TearDown]
    public void DisposeManagers()
    {
        _managers.ForEach(m => m.Dispose());
        _managers.Clear();
    }

    public void Dispose() => _dir.Dispose();
}
