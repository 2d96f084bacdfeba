using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>Loading ca.json from disk: path resolution (working directory, then STEPPATH) and validation.</summary>
public class CaConfigLoaderTests
{
    [Test]
    public void Fixture_loads_from_its_own_folder_like_step_ca_019()
    {
        var pki = Fixtures.Path("pki");

        var result = new CaConfigLoader(new() { WorkingDirectory = pki, StepPath = pki }).Load(Fixtures.Path("pki", "config", "ca.json"));

        result.Diagnostics.Should().BeEmpty();
        result.ConfigPath.Should().Be(Fixtures.Path("pki", "config", "ca.json"));
        result.ResolvedPaths.Keys.Should().BeEquivalentTo(
            "root", "crt", "key", "ssh.hostKey", "ssh.userKey", "db.dataSource",
            "templates.ssh.user[0].template", "templates.ssh.user[1].template", "templates.ssh.user[2].template",
            "templates.ssh.user[3].template", "templates.ssh.host[0].template", "templates.ssh.host[1].template");
        result.ResolvedPaths["crt"].Should().Be(new ResolvedConfigPath("certs/intermediate_ca.crt", Path.Combine(pki, "certs", "intermediate_ca.crt"), ConfigPathBase.WorkingDirectory));
        result.ResolvedPaths["templates.ssh.host[1].template"].Base.Should().Be(ConfigPathBase.StepPath);
        result.Config.Authority.Provisioners.Should().HaveCount(3);
    }

    [Test]
    public void From_another_working_directory_paths_fall_back_to_steppath_and_say_so()
    {
        using var temp = new TempStepPath();

        var result = new CaConfigLoader(new() { WorkingDirectory = temp.WorkingDirectory, StepPath = temp.StepPath }).Load(temp.CaJson);

        result.ResolvedPaths["root"].Should().Be(new ResolvedConfigPath("certs/root_ca.crt", Path.Combine(temp.StepPath, "certs", "root_ca.crt"), ConfigPathBase.StepPath));
        result.ResolvedPaths["key"].FullPath.Should().Be(Path.Combine(temp.StepPath, "secrets", "intermediate_ca_key"));
        // db/ does not exist yet anywhere: it is created under STEPPATH, not in the working directory.
        result.ResolvedPaths["db.dataSource"].FullPath.Should().Be(Path.Combine(temp.StepPath, "db"));
        result.Diagnostics.Should().Contain(ConfigDiagnostic.Info("root", $"resolved against STEPPATH: {Path.Combine(temp.StepPath, "certs", "root_ca.crt")} (step-ca 0.19 would look in the working directory)"));
        result.Diagnostics.Should().OnlyContain(d => d.Severity == ConfigDiagnosticSeverity.Info);
        result.ResolvePath("certs/ssh_host_ca_key.pub").Should().Be(Path.Combine(temp.StepPath, "certs", "ssh_host_ca_key.pub"));
        result.ResolvePath("/etc/x").Should().Be("/etc/x");
    }

    [Test]
    public void Steppath_defaults_to_the_folder_above_config()
    {
        Assume.That(Environment.GetEnvironmentVariable("STEPPATH"), Is.Null.Or.Empty, "STEPPATH is set in this environment");
        using var temp = new TempStepPath();

        var result = new CaConfigLoader(new() { WorkingDirectory = temp.WorkingDirectory }).Load(temp.CaJson);

        result.Paths.StepPath.Should().Be(temp.StepPath);
        result.ResolvedPaths["crt"].Base.Should().Be(ConfigPathBase.StepPath);
    }

    [Test]
    public void A_file_present_in_the_working_directory_wins_but_templates_always_use_steppath()
    {
        using var temp = new TempStepPath();
        Directory.CreateDirectory(Path.Combine(temp.WorkingDirectory, "certs"));
        File.Copy(Path.Combine(temp.StepPath, "certs", "root_ca.crt"), Path.Combine(temp.WorkingDirectory, "certs", "root_ca.crt"));
        Directory.CreateDirectory(Path.Combine(temp.WorkingDirectory, "templates", "ssh"));
        File.WriteAllText(Path.Combine(temp.WorkingDirectory, "templates", "ssh", "ca.tpl"), "shadow");

        var result = new CaConfigLoader(new() { WorkingDirectory = temp.WorkingDirectory, StepPath = temp.StepPath }).Load(temp.CaJson);

        result.ResolvedPaths["root"].Should().Be(new ResolvedConfigPath("certs/root_ca.crt", Path.Combine(temp.WorkingDirectory, "certs", "root_ca.crt"), ConfigPathBase.WorkingDirectory));
        result.ResolvedPaths["crt"].Base.Should().Be(ConfigPathBase.StepPath);
        result.ResolvedPaths["templates.ssh.host[1].template"].FullPath.Should().Be(Path.Combine(temp.StepPath, "templates", "ssh", "ca.tpl"));
    }

    [Test]
    public void Missing_files_are_errors_naming_the_field()
    {
        using var temp = new TempStepPath();
        File.Delete(Path.Combine(temp.StepPath, "secrets", "ssh_user_ca_key"));
        File.Delete(Path.Combine(temp.StepPath, "templates", "ssh", "known_hosts.tpl"));
        temp.EditCaJson(t => t.Replace("\"certs/intermediate_ca.crt\"", "\"certs/missing.crt\""));

        var error = LoadFails(temp);

        error.ConfigFile.Should().Be(temp.CaJson);
        error.Errors.Select(e => e.Field).Should().BeEquivalentTo("crt", "ssh.userKey", "templates.ssh.user[3].template");
        error.Errors.Single(e => e.Field == "crt").Message.Should().Be(
            $"file \"certs/missing.crt\" not found ({Path.Combine(temp.StepPath, "certs", "missing.crt")}; also looked in {temp.WorkingDirectory})");
    }

    [Test]
    public void Step_ca_validation_errors_are_all_reported_with_their_fields()
    {
        using var temp = new TempStepPath();
        temp.EditCaJson(t => t
            .Replace("\"127.0.0.1:9444\"", "\"127.0.0.1\"")
            .Replace("\"insecureAddress\": \"\"", "\"insecureAddress\": \"::1:80\", \"metricsAddress\": \":metrics\"")
            .Replace("\"localhost\",\n\t\t\"127.0.0.1\"", "")
            .Replace("\"name\": \"sshpop\"", "\"name\": \"acme\"")
            .Replace("\"claims\": {\n\t\t\t\t\t\"enableSSHCA\": true\n\t\t\t\t}", "\"claims\": {\"minTLSCertDuration\": \"48h\"}")
            .Replace("\"maxVersion\": 1.3", "\"maxVersion\": 1.1")
            .Replace("\"authority\": {", "\"authority\": {\"backdate\": \"-1m\","));

        var error = LoadFails(temp);

        error.Errors.Select(e => e.ToString()).Should().BeEquivalentTo(
            "address: invalid address \"127.0.0.1\": missing port in address",
            "insecureAddress: invalid address \"::1:80\": too many colons in address",
            "metricsAddress: invalid address \":metrics\": invalid port \"metrics\"",
            "dnsNames: cannot be empty",
            "tls.minVersion: 1.2 cannot exceed tls.maxVersion 1.1",
            "authority.backdate: cannot be less than 0",
            "authority.provisioners[0].claims.minTLSCertDuration: 48h0m0s is greater than maxTLSCertDuration 24h0m0s",
            "authority.provisioners[0].claims.minTLSCertDuration: 48h0m0s is greater than defaultTLSCertDuration 24h0m0s",
            "authority.provisioners[2].name: another provisioner is already named \"acme\"",
            "authority.provisioners[2].claims.minTLSCertDuration: 48h0m0s is greater than maxTLSCertDuration 24h0m0s",
            "authority.provisioners[2].claims.minTLSCertDuration: 48h0m0s is greater than defaultTLSCertDuration 24h0m0s");
    }

    [Test]
    public void Required_fields_are_checked_unless_another_ca_signs()
    {
        using var temp = new TempStepPath();
        File.WriteAllText(temp.CaJson, """{"address":":443","authority":{"provisioners":[{"type":"k8ssa","name":"a"},{"type":"K8sSA","name":"b"},{"name":"c"}]}}""");

        LoadFails(temp).Errors.Select(e => e.ToString()).Should().BeEquivalentTo(
            "root: cannot be empty",
            "crt: cannot be empty",
            "key: cannot be empty",
            "authority.provisioners[1].type: cannot have more than one kubernetes service account provisioner",
            "authority.provisioners[2].type: cannot be empty");

        File.WriteAllText(temp.CaJson, """{"address":":443","authority":{"type":"stepcas","certificateAuthority":"https://up:9000"}}""");
        Load(temp).Config.Authority.IsRegistrationAuthority.Should().BeTrue();
    }

    [Test]
    public void Kms_keys_are_not_treated_as_files()
    {
        using var temp = new TempStepPath();
        temp.EditCaJson(t => t
            .Replace("\"secrets/intermediate_ca_key\"", "\"pkcs11:id=7332;object=intermediate-ca\"")
            .Replace("\"secrets/ssh_host_ca_key\"", "\"pkcs11:id=7333;object=ssh-host-ca\"")
            .Replace("\"secrets/ssh_user_ca_key\"", "\"pkcs11:id=7334;object=ssh-user-ca\"")
            .Replace("\"address\"", "\"kms\": {\"type\": \"pkcs11\", \"uri\": \"pkcs11:module-path=/usr/lib/softhsm/libsofthsm2.so;token=ca\"}, \"address\""));

        var result = Load(temp);

        result.Config.Kms!.EffectiveType.Should().Be("pkcs11");
        result.ResolvedPaths.Should().NotContainKey("key").And.NotContainKey("ssh.hostKey");
    }

    [Test]
    public void Unknown_kms_type_logger_format_and_bad_templates_are_errors()
    {
        using var temp = new TempStepPath();
        temp.EditCaJson(t => t
            .Replace("\"address\"", "\"kms\": {\"type\": \"vault\"}, \"address\"")
            .Replace("\"type\": \"prepend-line\"", "\"type\": \"append\"")
            .Replace("\"templates\": {", "\"templates\": {\"data\": {\"Step\": 1},")
            .Replace("\"format\": \"text\"", "\"format\": \"xml\""));

        LoadFails(temp).Errors.Select(e => e.ToString()).Should().BeEquivalentTo(
            "kms.type: unsupported kms type \"vault\"",
            "logger.format: unsupported logger.format \"xml\", it must be text, json or common",
            "templates.data.Step: templates variables cannot contain 'Step' as a property",
            "templates.ssh.user[1].type: invalid template type \"append\", it must be snippet, prepend-line, file, or directory");
    }

    [Test]
    public void Missing_provisioner_template_file_is_only_a_warning()
    {
        using var temp = new TempStepPath();
        temp.EditCaJson(t => t.Replace("\"name\": \"acme\"", "\"name\": \"acme\", \"options\": {\"x509\": {\"templateFile\": \"templates/certs/x509/leaf.tpl\"}}"));

        var result = Load(temp);

        result.Diagnostics.Should().ContainSingle(d => d.Severity == ConfigDiagnosticSeverity.Warning)
            .Which.Field.Should().Be("authority.provisioners[1].options.x509.templateFile");
        result.ResolvedPaths["authority.provisioners[1].options.x509.templateFile"].FullPath.Should().Be(Path.Combine(temp.StepPath, "templates", "certs", "x509", "leaf.tpl"));
    }

    [Test]
    public void File_checks_can_be_turned_off()
    {
        using var temp = new TempStepPath();
        temp.EditCaJson(t => t.Replace("\"certs/intermediate_ca.crt\"", "\"certs/missing.crt\""));

        var result = new CaConfigLoader(new() { WorkingDirectory = temp.WorkingDirectory, StepPath = temp.StepPath, CheckFiles = false }).Load(temp.CaJson);

        result.ResolvedPaths.Should().BeEmpty();
        result.ResolvePath("certs/missing.crt").Should().Be(Path.Combine(temp.StepPath, "certs", "missing.crt"));
    }

    [Test]
    public void Unreadable_or_malformed_config_files_are_config_errors()
    {
        using var temp = new TempStepPath();
        var missing = Path.Combine(temp.StepPath, "config", "nope.json");
        FluentActions.Invoking(() => new CaConfigLoader().Load(missing)).Should().Throw<CaConfigException>()
            .Which.Message.Should().StartWith($"{missing}: cannot read the file: ");

        File.WriteAllText(temp.CaJson, "{\n  \"root\": \"x\",\n  \"crt\": }");
        LoadFails(temp).Message.Should().StartWith($"{temp.CaJson}: malformed JSON at line 3, column 10: ");
    }

    private static CaConfigLoadResult Load(TempStepPath temp) =>
        new CaConfigLoader(new() { WorkingDirectory = temp.WorkingDirectory, StepPath = temp.StepPath }).Load(temp.CaJson);

    private static CaConfigException LoadFails(TempStepPath temp) =>
        FluentActions.Invoking(() => Load(temp)).Should().Throw<CaConfigException>().Which;
}
