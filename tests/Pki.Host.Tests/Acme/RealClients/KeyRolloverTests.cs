namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// Account key rollover (RFC 8555 §7.3.5). None of the Debian clients has it (lego 4.9 has no
/// key-change command, certbot 2.1, acme-tiny and dehydrated 0.7 neither), so the client is
/// <c>golang.org/x/crypto/acme</c>'s <c>AccountKeyRollover</c> (the library behind Go's autocert), driven by
/// <c>GoKeyRollover/main.go</c>, built here offline in GOPATH mode from Debian's Go sources.
/// </summary>
[TestFixture(typeof(PebbleAcmeServer))]
[TestFixture(typeof(PkiHostAcmeServer))]
public sealed class KeyRolloverTests(Type serverType) : RealClientFixture(serverType)
{
    private const string XCryptoAcme = "/usr/share/gocode/src/golang.org/x/crypto/acme";

    protected override IEnumerable<(string Program, string Package)> Clients => [("go", "golang-go")];

    [Test]
    public async Task TheNewKeyFindsTheAccountAndTheOldKeyNoLonger()
    {
        if (!Directory.Exists(XCryptoAcme))
        {
            Assert.Ignore($"{XCryptoAcme} not found (apt-get install -y golang-golang-x-crypto-dev)");
        }
        var program = Path.Combine(WorkDirectory, "go-key-rollover");
        var build = await AcmeClientRun.RunAsync("go", ["build", "-o", program, "."], new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOFLAGS"] = "",
            ["GOPROXY"] = "off",
            ["CGO_ENABLED"] = "0",
            ["GOPATH"] = "/usr/share/gocode",
        }, SourceDirectory(), TimeSpan.FromSeconds(120));
        build.ExitCode.Should().Be(0, $"go build should succeed:\n{build.Output}");

        var output = await RunClientAsync(program, ["-dir", Server.DirectoryUrl.ToString(), "-cacert", Server.TlsTrustBundlePath]);

        output.Trim().Should().StartWith("https://127.0.0.1:", "it prints the account URL that survived the rollover");
    }

    // The Go source lives beside this file in the repository (it is not copied to the output).
    private static string SourceDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Pki.Host.Tests", "Acme", "RealClients", "GoKeyRollover");
            if (File.Exists(Path.Combine(candidate, "main.go")))
            {
                return candidate;
            }
        }
        Assert.Ignore("GoKeyRollover/main.go not found above " + AppContext.BaseDirectory);
        return "";
    }
}
