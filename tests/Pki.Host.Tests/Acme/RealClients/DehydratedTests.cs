namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// Debian's dehydrated 0.7 (bash + curl + openssl): a config file with <c>CA=</c>,
/// <c>CHALLENGETYPE=http-01</c> and <c>WELLKNOWN=</c> (published on the validator's port by
/// <see cref="ChallengeFileServer"/>), <c>--register --accept-terms</c>, <c>--cron</c> to issue and
/// <c>--revoke</c> (with the account key). curl trusts the ACME endpoint through <c>CURL_CA_BUNDLE</c>.
/// </summary>
[TestFixture(typeof(PebbleAcmeServer))]
[TestFixture(typeof(PkiHostAcmeServer))]
public sealed class DehydratedTests(Type serverType) : RealClientFixture(serverType)
{
    private const string Dehydrated = "dehydrated";

    protected override IEnumerable<(string Program, string Package)> Clients => [(Dehydrated, "dehydrated"), ("curl", "curl"), ("openssl", "openssl")];

    [Test]
    public async Task RegistersIssuesAndRevokes()
    {
        var name = NewName("dehydrated");
        var baseDirectory = Path.Combine(WorkDirectory, "dehydrated");
        var wellKnown = Directory.CreateDirectory(Path.Combine(baseDirectory, "well-known")).FullName;
        var config = Path.Combine(WorkDirectory, "dehydrated.conf");
        await File.WriteAllTextAsync(config, $"""
            CA="{Server.DirectoryUrl}"
            CHALLENGETYPE="http-01"
            WELLKNOWN="{wellKnown}"
            BASEDIR="{baseDirectory}"
            KEY_ALGO=prime256v1

            """);
        await using var web = new ChallengeFileServer(HttpChallengePort, wellKnown);

        await RunClientAsync(Dehydrated, ["--config", config, "--register", "--accept-terms"]);
        await RunClientAsync(Dehydrated, ["--config", config, "--cron", "--domain", name]);

        web.Served.Should().BeGreaterThan(0, "the validator should have fetched the challenge file");
        var certificates = Path.Combine(baseDirectory, "certs", name);
        using var chain = IssuedChain.Load(Path.Combine(certificates, "fullchain.pem"));
        chain.ShouldBeIssuedFor(IssuingRoot, name);

        await RunClientAsync(Dehydrated, ["--config", config, "--revoke", Path.Combine(certificates, "cert.pem")]);
        await ShouldBeRevokedAsync(chain.Leaf);
    }
}
