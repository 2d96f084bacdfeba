using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// <c>GET /provisioners</c> never publishes a secret, whatever the type (run here or not): one entry
/// per provisioner type of the step-ca documentation (shared/seeds), each with a planted member
/// step-ca's Go struct does not marshal and, where the type has one, a secret. The listing is
/// what step-ca master lists: the struct's members in its order, Init defaults, SCEP secrets as
/// <c>*** REDACTED ***</c>, webhook credentials never; the OIDC <c>clientSecret</c> is listed as
/// step-ca lists it (the step CLI needs it for the OAuth flow).
/// </summary>
public class ProvisionerListingSecretsTests : ServedPkiTests
{
    private const string Planted = "PLANTED-SECRET-must-not-be-listed";

    // X5C runs now, so its roots must be a PEM bundle of certificates (standard base64): the fixture root.
    private static readonly string X5cRoots = Convert.ToBase64String(File.ReadAllBytes(Fixtures.Path("pki", "certs", "root_ca.crt")));

    private static readonly Dictionary<string, (string Entry, string Listed)> Entries = new()
    {
        ["OIDC"] = (
            $$$"""{"type":"OIDC","name":"google","clientID":"1087160488420-8qt7bavg3qesdhs6it824mhnfgcfe8il.apps.googleusercontent.com","clientSecret":"udTrOT3gzrO7W9fDPgZQLfYJ","configurationEndpoint":"https://accounts.google.com/.well-known/openid-configuration","admins":["you@smallstep.com"],"domains":["smallstep.com"],"listenAddress":":10000","privateKey":"{{{Planted}}}"}""",
            """{"type":"OIDC","name":"google","clientID":"1087160488420-8qt7bavg3qesdhs6it824mhnfgcfe8il.apps.googleusercontent.com","clientSecret":"udTrOT3gzrO7W9fDPgZQLfYJ","configurationEndpoint":"https://accounts.google.com/.well-known/openid-configuration","admins":["you@smallstep.com"],"domains":["smallstep.com"],"listenAddress":":10000"}"""),
        ["AWS"] = (
            $$$"""{"type":"AWS","name":"aws","accounts":["1234567890"],"disableCustomSANs":false,"disableTrustOnFirstUse":true,"instanceAge":"1h","secretAccessKey":"{{{Planted}}}"}""",
            """{"type":"AWS","name":"aws","accounts":["1234567890"],"disableCustomSANs":false,"disableTrustOnFirstUse":true,"imdsVersions":["v2","v1"],"instanceAge":"1h0m0s"}"""),
        ["GCP"] = (
            $$$"""{"type":"GCP","name":"gcp","serviceAccounts":["1234567890"],"projectIDs":["project-id"],"disableCustomSANs":true,"instanceAge":"1h","serviceAccountKey":"{{{Planted}}}"}""",
            """{"type":"GCP","name":"gcp","serviceAccounts":["1234567890"],"projectIDs":["project-id"],"disableCustomSANs":true,"disableTrustOnFirstUse":false,"disableSSHCAUser":true,"disableSSHCAHost":false,"instanceAge":"1h0m0s"}"""),
        ["Azure"] = (
            $$$"""{"type":"Azure","name":"azure","tenantID":"b17c217c-84db-43f0-babd-e06a71083cda","resourceGroups":["your-resource-group"],"clientSecret":"{{{Planted}}}"}""",
            """{"type":"Azure","name":"azure","tenantID":"b17c217c-84db-43f0-babd-e06a71083cda","resourceGroups":["your-resource-group"],"subscriptionIDs":null,"objectIDs":null,"audience":"https://management.azure.com/","disableCustomSANs":false,"disableTrustOnFirstUse":false}"""),
        ["ACME"] = (
            $$$"""{"type":"ACME","name":"acme-listed","forceCN":true,"requireEAB":true,"challenges":["http-01","dns-01"],"eabHmacKey":"{{{Planted}}}"}""",
            """{"type":"ACME","name":"acme-listed","forceCN":true,"requireEAB":true,"challenges":["http-01","dns-01"]}"""),
        ["X5C"] = (
            $$$"""{"type":"X5C","name":"x5c","roots":"{{{X5cRoots}}}","privateKey":"{{{Planted}}}"}""",
            $$$"""{"type":"X5C","name":"x5c","roots":"{{{X5cRoots}}}"}"""),
        ["K8sSA"] = (
            $$$"""{"type":"K8sSA","name":"k8ssa","publicKeys":"TFMwdExTMUNSVWRKVGlCUVZVSk1TVU1nUzBWWkxTMHRMUzA9","serviceAccountToken":"{{{Planted}}}"}""",
            """{"type":"K8sSA","name":"k8ssa","publicKeys":"TFMwdExTMUNSVWRKVGlCUVZVSk1TVU1nUzBWWkxTMHRMUzA9"}"""),
        ["SSHPOP"] = (
            $$$"""{"type":"SSHPOP","name":"sshpop-listed","options":{"x509":{"template":"{}"}},"hostKey":"{{{Planted}}}"}""",
            """{"type":"SSHPOP","name":"sshpop-listed"}"""),
        ["SCEP"] = (
            $$$"""{"type":"SCEP","name":"scep","forceCN":true,"challenge":"{{{Planted}}}","capabilities":["AES"],"minimumPublicKeyLength":2048,"encryptionAlgorithmIdentifier":2,"decrypterCertificate":"{{{Planted}}}","decrypterKeyPEM":"{{{Planted}}}","decrypterKey":"softkms:{{{Planted}}}","decrypterKeyPassword":"{{{Planted}}}","options":{"webhooks":[{"id":"w1","name":"scepchallenge","url":"https://hooks.example/scep","kind":"SCEPCHALLENGE","certType":"X509","secret":"{{{Planted}}}","bearerToken":"{{{Planted}}}","basicAuth":{"username":"u","password":"{{{Planted}}}"}}]}}""",
            """{"type":"SCEP","name":"scep","forceCN":true,"challenge":"*** REDACTED ***","capabilities":["AES"],"includeRoot":false,"excludeIntermediate":false,"minimumPublicKeyLength":2048,"decrypterCertificate":"KioqIFJFREFDVEVEICoqKg==","decrypterKeyPEM":"KioqIFJFREFDVEVEICoqKg==","decrypterKey":"*** REDACTED ***","decrypterKeyPassword":"*** REDACTED ***","encryptionAlgorithmIdentifier":2,"options":{"webhooks":[{"id":"w1","name":"scepchallenge","url":"https://hooks.example/scep","kind":"SCEPCHALLENGE","certType":"X509"}]}}"""),
        ["Nebula"] = (
            $$$"""{"type":"Nebula","name":"nebula","roots":"TFMwdExTMUNSVWRKVGlCT1JVSlZURUVnUTBWU1ZFbEdTVU5CVkVVdExTMHRMUW89","caKey":"{{{Planted}}}"}""",
            """{"type":"Nebula","name":"nebula","roots":"TFMwdExTMUNSVWRKVGlCT1JVSlZURUVnUTBWU1ZFbEdTVU5CVkVVdExTMHRMUW89"}"""),
    };

    private string _listing = "";

    private protected override Task<ServedPki> StartPkiAsync() => ServedPki.StartFixtureCopyAsync(config =>
    {
        var provisioners = config["authority"]!["provisioners"]!.AsArray();
        // A webhook with credentials on the JWK provisioner too: its listing must not carry them.
        provisioners[0]!["options"] = JsonNode.Parse($$$"""{"webhooks":[{"id":"w0","name":"enrich","url":"https://hooks.example/x","kind":"ENRICHING","certType":"ALL","secret":"{{{Planted}}}","bearerToken":"{{{Planted}}}"}]}""");
        foreach (var (entry, _) in Entries.Values)
        {
            provisioners.Add(JsonNode.Parse(entry));
        }
    });

    [OneTimeSetUp]
    public async Task ReadListing()
    {
        using var response = await Client.GetAsync("/1.0/provisioners?limit=100");
        ((int)response.StatusCode).Should().Be(200);
        _listing = await response.Content.ReadAsStringAsync();
    }

    [Test]
    public void No_planted_secret_is_listed() => _listing.Should().NotContain(Planted);

    [TestCase("OIDC")]
    [TestCase("AWS")]
    [TestCase("GCP")]
    [TestCase("Azure")]
    [TestCase("ACME")]
    [TestCase("X5C")]
    [TestCase("K8sSA")]
    [TestCase("SSHPOP")]
    [TestCase("SCEP")]
    [TestCase("Nebula")]
    public void An_entry_is_listed_as_step_ca_lists_it(string type)
    {
        var expected = Entries[type].Listed;
        var name = JsonNode.Parse(expected)!["name"]!.GetValue<string>();

        Listed(name).Should().Be(expected);
    }

    [Test]
    public void A_jwk_entry_lists_its_webhooks_without_credentials()
    {
        using var jwk = JsonDocument.Parse(Listed(Pki.Provisioner.Name));
        jwk.RootElement.GetProperty("type").GetString().Should().Be("JWK");
        jwk.RootElement.GetProperty("options").GetRawText().Should().Be(
            """{"webhooks":[{"id":"w0","name":"enrich","url":"https://hooks.example/x","kind":"ENRICHING","certType":"ALL"}]}""");
        jwk.RootElement.TryGetProperty("encryptedKey", out _).Should().BeTrue("step-ca lists the JWE-encrypted key (the step CLI decrypts it with the provisioner password)");
    }

    private string Listed(string name)
    {
        using var listing = JsonDocument.Parse(_listing);
        var entry = listing.RootElement.GetProperty("provisioners").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);
        return entry.GetRawText();
    }
}
