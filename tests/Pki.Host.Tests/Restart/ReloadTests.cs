using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.Issuance;
using Smallstep.Pki.Tests.Host.Parity;

namespace Smallstep.Pki.Tests.Host.Restart;

/// <summary>
/// <c>CaServer.ReloadAsync</c> (what SIGHUP runs) over the fixture PKI: provisioners added to ca.json
/// start signing, a broken ca.json leaves the running set untouched.
/// </summary>
public class ReloadTests
{
    [Test]
    public async Task A_jwk_provisioner_added_to_ca_json_signs_after_reload()
    {
        await using var pki = await ServedPki.StartFixtureCopyAsync();
        var added = AddJwkProvisioner(pki, "added");
        var mark = pki.Log.Mark();

        await pki.Server.ReloadAsync();

        (await pki.Log.WaitForLineAsync(mark, l => l.Contains("[2001]", StringComparison.Ordinal) || l.Contains("[2002]", StringComparison.Ordinal)))
            .Should().Contain("[2001]");
        using var client = pki.CreateClient();
        (await ProvisionerNamesAsync(client)).Should().Equal("fixture-admin", "acme", "sshpop", "added");
        using var key = new ClientKey();
        using var response = await client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem("added.host.test"), ott = added.SignToken("added.host.test") });
        using var leaf = (await response.ShouldBeIssuedAsync()).Leaf;
        LeafProfile.ShouldNameProvisioner(leaf, "added", added.KeyId);
    }

    [Test]
    public async Task A_broken_ca_json_is_refused_and_the_running_provisioners_stay()
    {
        await using var pki = await ServedPki.StartFixtureCopyAsync();
        var provisioner = pki.Provisioner; // decrypted from ca.json before it is broken
        await File.WriteAllTextAsync(pki.ConfigPath, "{\"root\": ");
        var mark = pki.Log.Mark();

        await pki.Server.ReloadAsync();

        await pki.Log.WaitForLineAsync(mark, l => l.Contains("[2002]", StringComparison.Ordinal));
        using var client = pki.CreateClient();
        await FixtureResponse.Load("07-get-provisioners").ShouldMatchAsync(await client.GetAsync("/provisioners"));
        using var key = new ClientKey();
        await (await client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem("still.host.test"), ott = provisioner.SignToken("still.host.test") }))
            .ShouldBeIssuedAsync();
    }

    [Test]
    public async Task An_unchanged_db_block_with_an_unknown_member_does_not_block_reload()
    {
        // ca.json may carry db members this build does not know (kept as extension data).
        await using var pki = await ServedPki.StartFixtureCopyAsync(config => config["db"]!["futureSetting"] = "x");
        AddJwkProvisioner(pki, "added");
        var mark = pki.Log.Mark();

        await pki.Server.ReloadAsync();

        (await pki.Log.WaitForLineAsync(mark, l => l.Contains("[2001]", StringComparison.Ordinal) || l.Contains("[2002]", StringComparison.Ordinal)))
            .Should().Contain("[2001]", "the db block did not change");
    }

    [Test]
    public async Task Claims_and_dns_names_changed_in_ca_json_apply_after_reload()
    {
        await using var pki = await ServedPki.StartFixtureCopyAsync();
        var config = JsonNode.Parse(File.ReadAllText(pki.ConfigPath))!;
        config["dnsNames"]!.AsArray().Add("ca.reloaded.test");
        config["authority"]!["claims"] = new JsonObject { ["maxTLSCertDuration"] = "1h", ["defaultTLSCertDuration"] = "30m" };
        File.WriteAllText(pki.ConfigPath, config.ToJsonString());
        var mark = pki.Log.Mark();

        await pki.Server.ReloadAsync();

        (await pki.Log.WaitForLineAsync(mark, l => l.Contains("[2001]", StringComparison.Ordinal) || l.Contains("[2002]", StringComparison.Ordinal)))
            .Should().Contain("[2001]");
        using var client = pki.CreateClient();
        using var key = new ClientKey();
        var token = pki.Provisioner.SignToken("reloaded.host.test", audience: "https://ca.reloaded.test/1.0/sign");
        using var issued = await client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem("reloaded.host.test"), ott = token });
        using var leaf = (await issued.ShouldBeIssuedAsync()).Leaf;
        (leaf.NotAfter - leaf.NotBefore).Should().Be(TimeSpan.FromMinutes(31), "the reloaded default duration plus the backdate");

        using var tooLong = await client.PostJsonAsync("/1.0/sign", new { csr = key.CsrPem("long.host.test"), ott = pki.Provisioner.SignToken("long.host.test"), notAfter = "2h" });
        tooLong.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
    }

    // Appends a JWK provisioner (public key + encryptedKey, as step writes it) and returns its key.
    private static ProvisionerKey AddJwkProvisioner(ServedPki pki, string name)
    {
        var generated = JsonWebKey.Generate("ES256");
        var key = generated.WithMetadata("sig", generated.Thumbprint(), "ES256");
        var config = JsonNode.Parse(File.ReadAllText(pki.ConfigPath))!;
        config["authority"]!["provisioners"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "JWK",
            ["name"] = name,
            ["key"] = JsonNode.Parse(key.ToPublic().ToJson()),
            ["encryptedKey"] = EncryptedKey.Encrypt(key, "reload-test", EncryptedKey.MinEncryptIterations),
        });
        File.WriteAllText(pki.ConfigPath, config.ToJsonString());
        return ProvisionerKey.Of(name, key, pki.Root.RawData);
    }

    private static async Task<string[]> ProvisionerNamesAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/provisioners"));
        return json.RootElement.GetProperty("provisioners").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();
    }
}
