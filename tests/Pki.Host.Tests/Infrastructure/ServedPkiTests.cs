namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// Base of test classes that share one served PKI for all their tests: started once before the
/// first test, stopped after the last. Override <see cref="StartPkiAsync"/> for another PKI.
/// </summary>
public abstract class ServedPkiTests
{
    /// <summary>The served PKI.</summary>
    private protected ServedPki Pki { get; private set; } = null!;

    /// <summary>A client that trusts only this PKI's root.</summary>
    private protected HttpClient Client { get; private set; } = null!;

    /// <summary>Starts the PKI (default: a copy of the step-ca fixture PKI).</summary>
    private protected virtual Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync();

    [OneTimeSetUp]
    public async Task StartServedPki()
    {
        Pki = await StartPkiAsync();
        Client = Pki.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopServedPki()
    {
        Client.Dispose();
        await Pki.DisposeAsync();
    }
}
