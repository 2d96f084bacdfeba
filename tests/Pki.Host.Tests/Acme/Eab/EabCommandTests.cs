using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Smallstep.Pki.Tests.Host.Binary;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Acme.Eab;

/// <summary>
/// <c>pki-host acme eab add|list|remove</c> through the real binary; the rows are read with Debian's
/// sqlite3 and checked against step-ca's encoding (storage.md §5: <c>acme_external_account_keys</c>
/// and its two indexes).
/// </summary>
public sealed partial class EabCommandTests
{
    private WrittenPki _pki = null!;

    private string DatabasePath => Path.Combine(_pki.StepPath, "db", "pki.sqlite");

    [SetUp]
    public async Task CreatePkiWithAnAcmeProvisioner()
    {
        _pki = await WrittenPki.CreateAsync();
        var config = JsonNode.Parse(await File.ReadAllTextAsync(_pki.ConfigPath))!;
        config["authority"]!["provisioners"]!.AsArray().Add(new JsonObject { ["type"] = "ACME", ["name"] = "acme", ["requireEAB"] = true });
        await File.WriteAllTextAsync(_pki.ConfigPath, config.ToJsonString());
    }

    [TearDown]
    public void Remove() => _pki.Dispose();

    [Test]
    public async Task Add_prints_a_key_once_and_stores_it_as_step_ca_does()
    {
        var (exitCode, output) = await RunAsync("add", "--provisioner", "acme", "--reference", "web-1");

        exitCode.Should().Be(0, output);
        var keyId = KeyIdLine().Match(output).Groups[1].Value;
        var hmac = HmacLine().Match(output).Groups[1].Value;
        keyId.Should().MatchRegex("^[0-9A-Za-z]{32}$");
        Convert.FromBase64String(hmac.Replace('-', '+').Replace('_', '/') + "=").Should().HaveCount(32);

        using var row = JsonDocument.Parse(SqliteRows.Value(DatabasePath, "acme_external_account_keys", keyId)!);
        row.RootElement.GetProperty("id").GetString().Should().Be(keyId);
        row.RootElement.GetProperty("provisionerID").GetString().Should().Be("acme/acme");
        row.RootElement.GetProperty("reference").GetString().Should().Be("web-1");
        Convert.ToBase64String(row.RootElement.GetProperty("key").GetBytesFromBase64()).TrimEnd('=').Replace('+', '-').Replace('/', '_').Should().Be(hmac);
        row.RootElement.GetProperty("boundAt").GetString().Should().Be("0001-01-01T00:00:00Z");
        SqliteRows.Value(DatabasePath, "acme_external_account_keyID_reference_index", "acme/acme.web-1")
            .Should().Be($$"""{"reference":"web-1","externalAccountKeyID":"{{keyId}}"}""");
        SqliteRows.Value(DatabasePath, "acme_external_account_keyID_provisionerID_index", "acme/acme").Should().Be($"[\"{keyId}\"]");
    }

    [Test]
    public async Task List_shows_every_key_and_remove_deletes_one_with_its_index_entries()
    {
        var first = KeyIdLine().Match((await RunAsync("add", "--provisioner", "acme", "--reference", "a")).Output).Groups[1].Value;
        var second = KeyIdLine().Match((await RunAsync("add", "--provisioner", "acme")).Output).Groups[1].Value;

        var (listExit, list) = await RunAsync("list", "--provisioner", "acme");
        listExit.Should().Be(0, list);
        list.Should().Contain(first).And.Contain(second);

        var (removeExit, removed) = await RunAsync("remove", "--provisioner", "acme", "--key-id", first);

        removeExit.Should().Be(0, removed);
        SqliteRows.HasKey(DatabasePath, "acme_external_account_keys", first).Should().BeFalse();
        SqliteRows.HasKey(DatabasePath, "acme_external_account_keyID_reference_index", "acme/acme.a").Should().BeFalse();
        SqliteRows.Value(DatabasePath, "acme_external_account_keyID_provisionerID_index", "acme/acme").Should().Be($"[\"{second}\"]");
        (await RunAsync("list", "--provisioner", "acme")).Output.Should().NotContain(first).And.Contain(second);
    }

    [Test]
    public async Task A_second_key_with_the_same_reference_is_refused_and_nothing_is_written()
    {
        (await RunAsync("add", "--provisioner", "acme", "--reference", "dup")).ExitCode.Should().Be(0);

        var (exitCode, output) = await RunAsync("add", "--provisioner", "acme", "--reference", "dup");

        exitCode.Should().Be(1, output);
        output.Should().Contain("reference dup already exists");
        SqliteRows.Count(DatabasePath, "acme_external_account_keys").Should().Be(1);
    }

    [TestCase("remove", "--provisioner", "acme", "--key-id", "NoSuchKey", ExpectedResult = "has no external account key NoSuchKey")]
    [TestCase("add", "--provisioner", "nobody", ExpectedResult = "has no provisioner named nobody")]
    public async Task<string> Unknown_keys_and_provisioners_are_errors(params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(arguments);

        exitCode.Should().Be(1, output);
        return Regex.Match(output, "(has no [a-z ]+ [A-Za-z]+)").Groups[1].Value;
    }

    [Test]
    public async Task A_provisioner_of_another_type_has_no_external_account_keys()
    {
        var jwk = JsonNode.Parse(await File.ReadAllTextAsync(_pki.ConfigPath))!["authority"]!["provisioners"]![0]!["name"]!.GetValue<string>();

        var (exitCode, output) = await RunAsync("add", "--provisioner", jwk);

        exitCode.Should().Be(1, output);
        output.Should().Contain("of type JWK");
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        HostProcess.RunToExitAsync(_pki.StepPath, ["acme", "eab", .. arguments, "--ca-config", _pki.ConfigPath]);

    [GeneratedRegex(@"Key ID: (\S+)")]
    private static partial Regex KeyIdLine();

    [GeneratedRegex(@"HMAC key \(base64url\): (\S+)")]
    private static partial Regex HmacLine();
}
