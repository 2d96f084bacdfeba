using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Ssh.Config;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>
/// <c>/ssh/config</c> rendering: our default templates against the templates <c>step ca init --ssh</c>
/// wrote into the step-ca fixture PKI (rendered by our engine with the same data), and step-ca's
/// rules around them (requires, the <c>step_includes.tpl</c> back-compat, errors as 400s).
/// </summary>
public sealed class SshConfigTemplatesTests
{
    private static readonly SshPublicKey HostKey = SshPublicKey.ParseAuthorizedKey(Fixtures.Text("pki", "certs", "ssh_host_ca_key.pub").Trim());
    private static readonly SshPublicKey UserKey = SshPublicKey.ParseAuthorizedKey(Fixtures.Text("pki", "certs", "ssh_user_ca_key.pub").Trim());
    private static readonly SshTemplateKeys Keys = new(HostKey, UserKey, [NewKey(), NewKey()], [NewKey()]);

    private static readonly Dictionary<string, string>[] RequestData =
    [
        new() { ["StepPath"] = "/home/alice/.step", ["GOOS"] = "linux", ["StepSSHTemplateVersion"] = "v2", ["Certificate"] = "ssh_host_ecdsa_key-cert.pub", ["Key"] = "ssh_host_ecdsa_key" },
        new() { ["StepPath"] = "/home/alice/.step/authorities/ca", ["StepBasePath"] = "/home/alice/.step", ["GOOS"] = "darwin", ["User"] = "alice",
            ["Context"] = "ca", ["Certificate"] = "host.crt", ["Key"] = "host.key", ["StepSSHTemplateVersion"] = "v2" },
        new() { ["StepPath"] = "C:\\Users\\alice\\.step", ["GOOS"] = "windows", ["Certificate"] = "c", ["Key"] = "k" },
        new() { ["StepPath"] = "C:\\Users\\alice\\.step\\authorities\\x", ["StepBasePath"] = "C:\\Users\\alice\\.step", ["GOOS"] = "windows", ["Context"] = "x", ["Certificate"] = "c", ["Key"] = "k" },
    ];

    [Test]
    public void Our_default_templates_render_what_the_templates_step_ca_init_writes_render([Values(0, 1, 2, 3)] int data, [Values("user", "host")] string type)
    {
        var ours = SshConfigTemplates.Load(null, _ => throw new InvalidOperationException("defaults read no file"), Keys);
        var steps = SshConfigTemplates.Load(FixtureTemplates(), p => Fixtures.Path("pki", p), Keys);

        var expected = steps.Render(type, RequestData[data], TimeProvider.System);
        var actual = ours.Render(type, RequestData[data], TimeProvider.System);

        actual.Select(o => (o.Name, o.Type, o.Path, o.Comment, Encoding.UTF8.GetString(o.Content!)))
            .Should().Equal(expected.Select(o => (o.Name, o.Type, o.Path, o.Comment, Encoding.UTF8.GetString(o.Content!))));
    }

    [Test]
    public void The_proxy_command_carries_context_console_and_provisioner_as_current_step_ca_writes_them()
    {
        // step-ca after 0.19 added --console and --provisioner (the fixture's templates predate them).
        var templates = SshConfigTemplates.Load(null, _ => "", Keys);
        var linux = new Dictionary<string, string> { ["StepPath"] = "/s", ["GOOS"] = "linux", ["Context"] = "ca", ["Console"] = "true", ["Provisioner"] = "admin", ["StepSSHTemplateVersion"] = "v2" };
        var windows = new Dictionary<string, string>(linux) { ["GOOS"] = "windows", ["StepPath"] = "C:\\s" };

        string Config(Dictionary<string, string> data) => Encoding.UTF8.GetString(templates.Render("user", data, TimeProvider.System).Single(o => o.Name == "step_config.tpl").Content!);

        Config(linux).Should().Be("Match exec \"step ssh check-host --context ca %h\"\n\tUserKnownHostsFile \"/s/ssh/known_hosts\"\n\tProxyCommand step ssh proxycommand --context ca --console --provisioner admin %r %h %p\n");
        Config(windows).Should().Be("Match exec \"step ssh check-host --context ca %h\"\n\tUserKnownHostsFile \"C:\\s\\ssh\\known_hosts\"\n\tProxyCommand C:\\Windows\\System32\\cmd.exe /c step ssh proxycommand --context ca --console --provisioner admin %r %h %p\n");
    }

    [Test]
    public void Known_hosts_trusts_the_host_ca_and_its_federated_keys_and_ca_pub_lists_the_user_keys()
    {
        var templates = SshConfigTemplates.Load(null, _ => "", Keys);
        var data = RequestData[0];

        var knownHosts = templates.Render("user", data, TimeProvider.System).Single(o => o.Name == "known_hosts.tpl");
        var caPub = templates.Render("host", RequestData[1], TimeProvider.System).Single(o => o.Name == "ca.tpl");

        Encoding.UTF8.GetString(knownHosts.Content!).Should().Be(string.Concat(new[] { HostKey }.Concat(Keys.HostFederatedKeys).Select(k => $"@cert-authority * {k.ToAuthorizedKey()}\n")));
        Encoding.UTF8.GetString(caPub.Content!).Should().Be(string.Concat(new[] { UserKey }.Concat(Keys.UserFederatedKeys).Select(k => k.ToAuthorizedKey() + "\n")));
        (knownHosts.Type, knownHosts.Path, knownHosts.Comment).Should().Be(("file", "ssh/known_hosts", "#"));
    }

    [Test]
    public void The_sshd_config_snippet_points_sshd_at_the_ca_and_the_host_certificate()
    {
        var output = SshConfigTemplates.Load(null, _ => "", Keys).Render("host", RequestData[1], TimeProvider.System);

        output.Select(o => o.Name).Should().Equal("sshd_config.tpl", "ca.tpl");
        Encoding.UTF8.GetString(output[0].Content!).Should().Be("Match all\n\tTrustedUserCAKeys /etc/ssh/ca.pub\n\tHostCertificate /etc/ssh/host.crt\n\tHostKey /etc/ssh/host.key");
        (output[0].Type, output[0].Path).Should().Be(("snippet", "/etc/ssh/sshd_config"));
    }

    [Test]
    public void Step_includes_is_a_prepend_line_for_current_clients_and_a_file_for_clients_older_than_v0_18()
    {
        var templates = SshConfigTemplates.Load(null, _ => "", Keys);

        var current = templates.Render("user", RequestData[0], TimeProvider.System).Single(o => o.Name == "step_includes.tpl");
        var old = templates.Render("user", new Dictionary<string, string> { ["StepPath"] = "/s", ["StepSSHTemplateVersion"] = "" }, TimeProvider.System)
            .Single(o => o.Name == "step_includes.tpl");

        (current.Type, current.Path).Should().Be(("prepend-line", "${STEPPATH}/ssh/includes"));
        (old.Type, old.Path).Should().Be(("file", "ssh/includes"));
        Encoding.UTF8.GetString(old.Content!).Should().Be("Include \"/s/ssh/config\"");
    }

    [Test]
    public void A_missing_required_key_is_a_400_naming_it()
    {
        var templates = SshConfigTemplates.Load(null, _ => "", Keys);

        var act = () => templates.Render("host", new Dictionary<string, string> { ["Certificate"] = "c" }, TimeProvider.System);

        act.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest)
            .WithMessage("required variable 'Key' is missing, please use `--set <key=value>` flag");
    }

    [Test]
    public void Step_ca_back_fills_requires_for_an_old_sshd_config_template_without_it()
    {
        var config = FixtureTemplates();
        var host = config.Ssh!.Host!.Select(t => t with { Requires = null }).ToList();
        var templates = SshConfigTemplates.Load(config with { Ssh = config.Ssh with { Host = host } }, p => Fixtures.Path("pki", p), Keys);

        templates.Host[0].Requires.Should().Equal("Certificate", "Key");
        templates.Host[1].Requires.Should().BeEmpty();
    }

    [Test]
    public void Template_failures_and_runtime_errors_are_400s()
    {
        using var directory = new TemporaryFolder();
        File.WriteAllText(Path.Combine(directory.Path, "fail.tpl"), "{{ if not .User.Ok }}{{ fail \"set Ok\" }}{{ end }}ok");
        File.WriteAllText(Path.Combine(directory.Path, "nil.tpl"), "{{ len 3 }}");
        var config = new TemplatesConfig
        {
            Ssh = new SshTemplatesConfig
            {
                User = [new SshTemplateConfig { Name = "fail.tpl", Type = "file", Template = "fail.tpl", Path = "a" }],
                Host = [new SshTemplateConfig { Name = "nil.tpl", Type = "file", Template = "nil.tpl", Path = "b" }],
            },
        };
        var templates = SshConfigTemplates.Load(config, p => Path.Combine(directory.Path, p), Keys);

        templates.Render("user", new Dictionary<string, string> { ["Ok"] = "1" }, TimeProvider.System).Single().Content.Should().Equal("ok"u8.ToArray());
        var failed = () => templates.Render("user", new Dictionary<string, string> { ["Other"] = "1" }, TimeProvider.System);
        failed.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest).WithMessage("set Ok");
        var broken = () => templates.Render("host", new Dictionary<string, string>(), TimeProvider.System);
        broken.Should().Throw<PkiException>().Where(e => e.Kind == PkiErrorKind.BadRequest).WithMessage("error executing template nil.tpl*");
    }

    [Test]
    public void A_template_that_does_not_parse_stops_the_start_naming_the_field()
    {
        using var directory = new TemporaryFolder();
        File.WriteAllText(Path.Combine(directory.Path, "bad.tpl"), "{{ if }}");
        var config = new TemplatesConfig { Ssh = new SshTemplatesConfig { User = [new SshTemplateConfig { Name = "bad.tpl", Type = "file", Template = "bad.tpl", Path = "a" }] } };

        var act = () => SshConfigTemplates.Load(config, p => Path.Combine(directory.Path, p), Keys);

        act.Should().Throw<CaConfigException>().Which.Errors.Should().ContainSingle(d => d.Field == "templates.ssh.user[0].template");
    }

    [Test]
    public void A_directory_entry_has_no_content_and_templates_data_is_visible()
    {
        using var directory = new TemporaryFolder();
        File.WriteAllText(Path.Combine(directory.Path, "org.tpl"), "{{ .Organization }} {{ .User.X }}");
        using var data = System.Text.Json.JsonDocument.Parse("""{"Organization":"Acme"}""");
        var config = new TemplatesConfig
        {
            Ssh = new SshTemplatesConfig
            {
                User = [new SshTemplateConfig { Name = "d", Type = "directory", Path = "ssh/d" }, new SshTemplateConfig { Name = "org.tpl", Type = "file", Template = "org.tpl", Path = "o" }],
            },
            Data = data.RootElement.Clone(),
        };

        var output = SshConfigTemplates.Load(config, p => Path.Combine(directory.Path, p), Keys).Render("user", new Dictionary<string, string> { ["X"] = "y" }, TimeProvider.System);

        output[0].Should().Be(new SshConfigOutput("d", "directory", "ssh/d", "", null));
        Encoding.UTF8.GetString(output[1].Content!).Should().Be("Acme y");
        output[1].Comment.Should().Be("#", "a file template without a comment gets step-ca's #");
    }

    private static TemplatesConfig FixtureTemplates() =>
        new CaConfigLoader(new CaConfigLoaderOptions { WorkingDirectory = Fixtures.Path("pki"), StepPath = Fixtures.Path("pki") })
            .Load(Fixtures.Path("pki", "config", "ca.json")).Config.Templates!;

    private static SshPublicKey NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return SshPublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
    }

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ssh-config-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
