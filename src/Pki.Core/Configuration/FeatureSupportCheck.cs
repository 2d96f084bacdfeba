namespace Smallstep.Pki.Configuration;

/// <summary>
/// Lists what a ca.json asks for that this build does not run: a warning when the CA can still
/// start without it (the part is ignored), an error when starting would mean signing with the
/// wrong key, storing in the wrong place or acting as the wrong kind of CA.
/// </summary>
public static class FeatureSupportCheck
{
    /// <summary>The unsupported parts of <paramref name="config"/>, each naming its field.</summary>
    public static IReadOnlyList<ConfigDiagnostic> Check(CaConfig config, FeatureSupport support)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(support);
        var found = new List<ConfigDiagnostic>();
        if (config.Kms is { } kms && !support.KmsTypes.Contains(kms.EffectiveType))
        {
            found.Add(ConfigDiagnostic.Error(kms.Type.Length > 0 ? "kms.type" : "kms.uri", $"kms type \"{kms.EffectiveType}\" is not supported by this build"));
        }
        if (config.Db is { } db && !support.DatabaseTypes.Contains(db.Type))
        {
            found.Add(ConfigDiagnostic.Error("db.type", $"database type \"{db.Type}\" is not supported by this build"));
        }
        var authority = config.Authority;
        if (!support.AuthorityTypes.Contains(authority.EffectiveType))
        {
            found.Add(ConfigDiagnostic.Error("authority.type", $"certificate authority service \"{authority.EffectiveType}\" (registration authority mode) is not supported by this build"));
        }
        if (!support.DeploymentTypes.Contains(authority.DeploymentType ?? string.Empty))
        {
            found.Add(ConfigDiagnostic.Error("authority.deploymentType", $"deployment type \"{authority.DeploymentType}\" is not supported by this build"));
        }
        for (var i = 0; i < authority.Provisioners.Count; i++)
        {
            var provisioner = authority.Provisioners[i];
            if (!support.ProvisionerTypes.Contains(provisioner.Type))
            {
                found.Add(ConfigDiagnostic.Warning($"authority.provisioners[{i}].type", $"provisioner type \"{provisioner.Type}\" is not supported by this build; provisioner \"{provisioner.Name}\" is ignored"));
            }
            // Options of features a build lacks are reported, not silently dropped.
            if (!support.Features.Contains(ConfigFeature.SshCertificateAuthority)
                && (provisioner.Options?.Ssh is { HasTemplate: true } || provisioner.Options?.Ssh?.TemplateData is not null))
            {
                found.Add(ConfigDiagnostic.Warning($"authority.provisioners[{i}].options.ssh", "SSH certificate templates are not supported by this build yet and are ignored"));
            }
            if (provisioner.Options?.Webhooks is { ValueKind: System.Text.Json.JsonValueKind.Array } webhooks && webhooks.GetArrayLength() > 0)
            {
                found.Add(ConfigDiagnostic.Warning($"authority.provisioners[{i}].options.webhooks", "webhooks are not supported by this build yet and are ignored"));
            }
        }
        foreach (var (feature, field, configured) in Features(config))
        {
            if (configured && !support.Features.Contains(feature))
            {
                found.Add(ConfigDiagnostic.Warning(field, "is not supported by this build yet and is ignored"));
            }
        }
        return found;
    }

    private static IEnumerable<(ConfigFeature Feature, string Field, bool Configured)> Features(CaConfig config)
    {
        yield return (ConfigFeature.SshCertificateAuthority, "ssh", config.Ssh is not null);
        yield return (ConfigFeature.CertificateRevocationList, "crl.enabled", config.IsCrlEnabled);
        yield return (ConfigFeature.AuthorityPolicy, "authority.policy", config.Authority.Policy is not null);
        yield return (ConfigFeature.AuthoritySubjectTemplate, "authority.template", config.Authority.Template is { IsEmpty: false });
        yield return (ConfigFeature.RemoteAdministration, "authority.enableAdmin", config.Authority.EnableAdmin);
        yield return (ConfigFeature.SshConfigurationTemplates, "templates", config.Templates is not null);
        yield return (ConfigFeature.InsecureListener, "insecureAddress", config.InsecureAddress.Length > 0);
        yield return (ConfigFeature.Metrics, "metricsAddress", !string.IsNullOrEmpty(config.MetricsAddress));
        yield return (ConfigFeature.Monitoring, "monitoring", config.Monitoring is not null);
    }
}
