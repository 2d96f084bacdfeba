using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Binary;

/// <summary>The host binary and POSIX signals (sent with <c>kill</c>): SIGHUP reloads the provisioners, SIGTERM exits 0.</summary>
public class SignalTests
{
    [Test]
    public Task Sighup_loads_a_jwk_provisioner_added_to_ca_json_without_exiting() => SighupReloadsAsync(launcher: null);

    // nohup starts the host with SIGHUP ignored; step-ca (Go's signal.Notify) still reloads then, and so must we.
    [Test]
    public Task Sighup_reloads_a_host_started_with_sighup_ignored() =>
        File.Exists("/usr/bin/nohup") ? SighupReloadsAsync("/usr/bin/nohup") : throw new IgnoreException("/usr/bin/nohup (coreutils) is not installed");

    private static async Task SighupReloadsAsync(string? launcher)
    {
        using var pki = await WrittenPki.CreateAsync();
        await using var host = pki.Serve(launcher);
        var port = await host.WaitUntilServingAsync();
        using var root = X509CertificateLoader.LoadCertificateFromFile(pki.RootPath);
        using var client = CaHttpClient.Create(new Uri($"https://127.0.0.1:{port}"), root);
        (await ProvisionerNamesAsync(client)).Should().Equal("binary-admin");

        var config = JsonNode.Parse(File.ReadAllText(pki.ConfigPath))!;
        var key = JsonWebKey.Generate("ES256");
        config["authority"]!["provisioners"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "JWK",
            ["name"] = "second",
            ["key"] = JsonNode.Parse(key.WithMetadata("sig", key.Thumbprint(), "ES256").ToPublic().ToJson()),
        });
        File.WriteAllText(pki.ConfigPath, config.ToJsonString());
        var mark = host.Output.Mark();

        host.Signal("HUP");

        // Event ids are stable (ARCHITECTURE.md): 2001 reloaded, 2002 reload refused.
        (await host.WaitForLineAsync(l => l.Contains("[2001]", StringComparison.Ordinal) || l.Contains("[2002]", StringComparison.Ordinal), mark))
            .Should().Contain("[2001]");
        (await ProvisionerNamesAsync(client)).Should().Equal("binary-admin", "second");
        host.HasExited.Should().BeFalse();
    }

    [Test]
    public async Task Sigterm_stops_the_host_with_exit_code_0()
    {
        using var pki = await WrittenPki.CreateAsync();
        await using var host = pki.Serve();
        await host.WaitUntilServingAsync();

        host.Signal("TERM");

        (await host.WaitForExitAsync()).Should().Be(0);
    }

    private static async Task<string[]> ProvisionerNamesAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/provisioners"));
        return json.RootElement.GetProperty("provisioners").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();
    }
}
