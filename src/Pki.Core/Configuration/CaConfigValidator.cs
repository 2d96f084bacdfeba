using System.Globalization;
using System.Text.Json;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The checks step-ca makes when it loads a ca.json (authority/config/config.go
/// <c>Config.Validate</c>, <c>AuthConfig.Validate</c>, the provisioner <c>Init</c>s and
/// <c>Claimer.Validate</c>), each reported against its field. Files are checked by
/// <see cref="ConfigFileCheck"/>.
/// </summary>
internal static class CaConfigValidator
{
    public static void Validate(CaConfig config, List<ConfigDiagnostic> diagnostics)
    {
        CheckAddresses(config, diagnostics);
        if (config.DnsNames.Count == 0)
        {
            diagnostics.Add(ConfigDiagnostic.Error("dnsNames", "cannot be empty"));
        }
        if (!config.Authority.IsRegistrationAuthority)
        {
            // SoftCAS signs with local material, so root, crt and key are required.
            if (config.Roots.Count == 0 || config.Roots.Any(string.IsNullOrEmpty))
            {
                diagnostics.Add(ConfigDiagnostic.Error("root", "cannot be empty"));
            }
            Required(diagnostics, "crt", config.IntermediateCertificate);
            Required(diagnostics, "key", config.IntermediateKey);
        }
        if (config.Kms is { } kms && !KmsConfig.KnownTypes.Contains(kms.EffectiveType))
        {
            diagnostics.Add(ConfigDiagnostic.Error(kms.Type.Length > 0 ? "kms.type" : "kms.uri", $"unsupported kms type \"{kms.EffectiveType}\""));
        }
        if (config.Logger?.Format is { } format && format.ToLowerInvariant() is not ("" or "text" or "json" or "common"))
        {
            // logging/logger.go New: the logger cannot be built, so step-ca does not start.
            diagnostics.Add(ConfigDiagnostic.Error("logger.format", $"unsupported logger.format \"{format}\", it must be text, json or common"));
        }
        if (config.Tls is { } tls)
        {
            CheckTls(tls, diagnostics);
        }
        if (config.Ssh?.Keys is { } keys)
        {
            CheckSshKeys(keys, diagnostics);
        }
        if (config.Templates is { } templates)
        {
            CheckTemplates(templates, diagnostics);
        }
        if (config.Crl is { } crl)
        {
            CheckCrl(crl, diagnostics);
        }
        CheckAuthority(config.Authority, diagnostics);
    }

    private static void CheckAddresses(CaConfig config, List<ConfigDiagnostic> diagnostics)
    {
        if (config.Address.Length == 0)
        {
            diagnostics.Add(ConfigDiagnostic.Error("address", "cannot be empty"));
        }
        foreach (var (field, value) in new[] { ("address", config.Address), ("insecureAddress", config.InsecureAddress), ("metricsAddress", config.MetricsAddress ?? string.Empty) })
        {
            if (value.Length > 0 && HostPort.Problem(value) is { } problem)
            {
                diagnostics.Add(ConfigDiagnostic.Error(field, $"invalid address \"{value}\": {problem}"));
            }
        }
    }

    private static void CheckTls(TlsConfig tls, List<ConfigDiagnostic> diagnostics)
    {
        if (tls.MinVersion > tls.MaxVersion)
        {
            diagnostics.Add(ConfigDiagnostic.Error("tls.minVersion", $"{Number(tls.MinVersion)} cannot exceed tls.maxVersion {Number(tls.MaxVersion)}"));
        }
        foreach (var (field, version) in new[] { ("tls.minVersion", tls.MinVersion), ("tls.maxVersion", tls.MaxVersion) })
        {
            if (!TlsConfig.KnownVersions.Contains(version))
            {
                // step-ca maps an unknown version to Go's default instead of failing.
                diagnostics.Add(ConfigDiagnostic.Warning(field, $"{Number(version)} is not a TLS version (1.0, 1.1, 1.2 or 1.3); the default is used"));
            }
        }
        for (var i = 0; i < tls.CipherSuites.Count; i++)
        {
            if (!TlsConfig.KnownCipherSuites.Contains(tls.CipherSuites[i]))
            {
                diagnostics.Add(ConfigDiagnostic.Warning($"tls.cipherSuites[{i}]", $"\"{tls.CipherSuites[i]}\" is not a known cipher suite"));
            }
        }
    }

    private static void CheckSshKeys(IReadOnlyList<SshPublicKeyConfig> keys, List<ConfigDiagnostic> diagnostics)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Type is not ("user" or "host"))
            {
                diagnostics.Add(ConfigDiagnostic.Error($"ssh.keys[{i}].type", $"invalid type \"{keys[i].Type}\", it must be user or host"));
            }
            if (keys[i].Key is not { ValueKind: JsonValueKind.Object })
            {
                diagnostics.Add(ConfigDiagnostic.Error($"ssh.keys[{i}].key", "must be a public JWK object"));
            }
        }
    }

    // templates/templates.go Template.Validate and Templates.Validate (file checks are elsewhere).
    private static void CheckTemplates(TemplatesConfig templates, List<ConfigDiagnostic> diagnostics)
    {
        if (templates.Data is { } data)
        {
            foreach (var reserved in new[] { "Step", "User" })
            {
                if (data.TryGetProperty(reserved, out _))
                {
                    diagnostics.Add(ConfigDiagnostic.Error($"templates.data.{reserved}", $"templates variables cannot contain '{reserved}' as a property"));
                }
            }
        }
        foreach (var (field, template) in SshTemplates(templates))
        {
            if (template.Name.Length == 0)
            {
                diagnostics.Add(ConfigDiagnostic.Error($"{field}.name", "cannot be empty"));
            }
            if (!SshTemplateConfig.KnownTypes.Contains(template.Type))
            {
                diagnostics.Add(ConfigDiagnostic.Error($"{field}.type", $"invalid template type \"{template.Type}\", it must be snippet, prepend-line, file, or directory"));
            }
            else if (template.Type == "directory" ? template.Template.Length > 0 : template.Template.Length == 0)
            {
                diagnostics.Add(ConfigDiagnostic.Error($"{field}.template", template.Type == "directory" ? "must be empty with directory type" : "cannot be empty"));
            }
            if (template.Path.Length == 0)
            {
                diagnostics.Add(ConfigDiagnostic.Error($"{field}.path", "cannot be empty"));
            }
        }
    }

    private static void CheckCrl(CrlConfig crl, List<ConfigDiagnostic> diagnostics)
    {
        if (crl.CacheDuration < TimeSpan.Zero)
        {
            diagnostics.Add(ConfigDiagnostic.Error("crl.cacheDuration", "must be greater than or equal to 0"));
        }
        if (crl.RenewPeriod < TimeSpan.Zero)
        {
            diagnostics.Add(ConfigDiagnostic.Error("crl.renewPeriod", "must be greater than or equal to 0"));
        }
        if (crl.RenewPeriod > crl.CacheDuration)
        {
            diagnostics.Add(ConfigDiagnostic.Error("crl.renewPeriod", $"{GoDuration.Format(crl.RenewPeriod!.Value)} is greater than crl.cacheDuration {GoDuration.Format(crl.CacheDuration!.Value)}"));
        }
    }

    private static void CheckAuthority(AuthorityConfig authority, List<ConfigDiagnostic> diagnostics)
    {
        if (authority.Backdate < TimeSpan.Zero)
        {
            diagnostics.Add(ConfigDiagnostic.Error("authority.backdate", "cannot be less than 0"));
        }
        var authorityClaims = authority.EffectiveClaims;
        diagnostics.AddRange(authorityClaims.Validate("authority.claims", authority.Claims));
        var names = new HashSet<string>(StringComparer.Ordinal);
        var k8sCount = 0;
        for (var i = 0; i < authority.Provisioners.Count; i++)
        {
            var provisioner = authority.Provisioners[i];
            var field = $"authority.provisioners[{i}]";
            Required(diagnostics, $"{field}.type", provisioner.Type);
            Required(diagnostics, $"{field}.name", provisioner.Name);
            if (provisioner.Name.Length > 0 && !names.Add(provisioner.Name))
            {
                diagnostics.Add(ConfigDiagnostic.Error($"{field}.name", $"another provisioner is already named \"{provisioner.Name}\""));
            }
            if (provisioner.IsType(ProvisionerTypeNames.K8sSA) && ++k8sCount == 2)
            {
                diagnostics.Add(ConfigDiagnostic.Error($"{field}.type", "cannot have more than one kubernetes service account provisioner"));
            }
            if (provisioner.Claims is not null)
            {
                diagnostics.AddRange(authorityClaims.Merge(provisioner.Claims).Validate($"{field}.claims", provisioner.Claims));
            }
        }
    }

    internal static IEnumerable<(string Field, SshTemplateConfig Template)> SshTemplates(TemplatesConfig templates)
    {
        foreach (var (set, list) in new[] { ("user", templates.Ssh?.User), ("host", templates.Ssh?.Host) })
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                yield return ($"templates.ssh.{set}[{i}]", list![i]);
            }
        }
    }

    private static void Required(List<ConfigDiagnostic> diagnostics, string field, string value)
    {
        if (value.Length == 0)
        {
            diagnostics.Add(ConfigDiagnostic.Error(field, "cannot be empty"));
        }
    }

    private static string Number(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture);
}
