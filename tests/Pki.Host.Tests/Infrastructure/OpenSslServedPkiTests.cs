namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// A served PKI plus a work directory for the real <c>openssl</c>: tests make a P-256 key and CSR
/// for a DNS name and send it to <c>POST /1.0/sign</c> with a token for that name.
/// </summary>
public abstract class OpenSslServedPkiTests : ServedPkiTests
{
    private TemporaryDirectory _work = null!;

    /// <summary>openssl working in this class's directory.</summary>
    private protected OpenSsl OpenSsl { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateWorkDirectory()
    {
        _work = new TemporaryDirectory();
        OpenSsl = new OpenSsl(_work.Path);
    }

    [OneTimeTearDown]
    public void DeleteWorkDirectory() => _work.Dispose();

    /// <summary>Signs an openssl CSR for <paramref name="name"/> (CN and DNS SAN) with a token for it; <paramref name="templateData"/> is sent as the request's <c>templateData</c> when given.</summary>
    private protected Task<HttpResponseMessage> SignAsync(string name, object? templateData = null)
    {
        var csr = OpenSsl.Csr(OpenSsl.NewKey(OpenSslKeyType.EcP256), name, "DNS:" + name);
        var ott = Pki.Provisioner.SignToken(name, [name]);
        return templateData is null
            ? Client.PostJsonAsync("/1.0/sign", new { csr, ott })
            : Client.PostJsonAsync("/1.0/sign", new { csr, ott, templateData });
    }
}
