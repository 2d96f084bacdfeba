namespace Smallstep.Pki.Configuration;

/// <summary>
/// Resolves every path in a ca.json, checks that the files step-ca reads at startup exist and
/// can be opened, and records where each path pointed.
/// </summary>
internal sealed class ConfigFileCheck(ConfigPathResolver resolver, List<ConfigDiagnostic> diagnostics)
{
    private readonly Dictionary<string, ResolvedConfigPath> _resolved = new(StringComparer.Ordinal);

    /// <summary>The resolved paths by field (<c>crt</c>, <c>root[1]</c>, <c>ssh.hostKey</c>, ...).</summary>
    public IReadOnlyDictionary<string, ResolvedConfigPath> Resolved => _resolved;

    public void Check(CaConfig config)
    {
        for (var i = 0; i < config.Roots.Count; i++)
        {
            ReadableFile(config.Roots.Count == 1 ? "root" : $"root[{i}]", config.Roots[i]);
        }
        for (var i = 0; i < config.FederatedRoots?.Count; i++)
        {
            ReadableFile($"federatedRoots[{i}]", config.FederatedRoots[i]);
        }
        ReadableFile("crt", config.IntermediateCertificate);
        var softKeys = config.Kms is null || config.Kms.EffectiveType == "softkms";
        KeyFile("key", config.IntermediateKey, softKeys);
        if (config.Ssh is { } ssh)
        {
            KeyFile("ssh.hostKey", ssh.HostKey, softKeys);
            KeyFile("ssh.userKey", ssh.UserKey, softKeys);
        }
        if (config.Db is { IsEmbedded: true } db)
        {
            // The store creates these directories, so they need not exist yet.
            Record("db.dataSource", db.DataSource);
            Record("db.valueDir", db.ValueDir);
        }
        if (config.Templates is { } templates)
        {
            foreach (var (field, template) in CaConfigValidator.SshTemplates(templates))
            {
                StepPathFile($"{field}.template", template.Template, ConfigDiagnosticSeverity.Error);
            }
        }
        for (var i = 0; i < config.Authority.Provisioners.Count; i++)
        {
            var options = config.Authority.Provisioners[i].Options;
            var field = $"authority.provisioners[{i}].options";
            // step-ca reads template files at signing time, so a missing one only fails issuance.
            StepPathFile($"{field}.x509.templateFile", options?.X509?.TemplateFile, ConfigDiagnosticSeverity.Warning);
            StepPathFile($"{field}.ssh.templateFile", options?.Ssh?.TemplateFile, ConfigDiagnosticSeverity.Warning);
        }
    }

    private void KeyFile(string field, string value, bool softKeys)
    {
        // With a hardware or cloud KMS, or a "scheme:" URI, the value names a key, not a file.
        if (softKeys && !LooksLikeUri(value))
        {
            ReadableFile(field, value);
        }
    }

    private void ReadableFile(string field, string value)
    {
        var path = Record(field, value);
        if (path is null)
        {
            return;
        }
        if (!File.Exists(path.FullPath))
        {
            var where = path.Base == ConfigPathBase.Absolute
                ? path.FullPath
                : $"{path.FullPath}; also looked in {resolver.WorkingDirectory}";
            diagnostics.Add(ConfigDiagnostic.Error(field, $"file \"{value}\" not found ({where})"));
            return;
        }
        try
        {
            using var stream = new FileStream(path.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(ConfigDiagnostic.Error(field, $"cannot read \"{path.FullPath}\": {e.Message}"));
        }
    }

    private ResolvedConfigPath? Record(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var path = resolver.Resolve(value);
        _resolved[field] = path;
        if (path.Base == ConfigPathBase.StepPath)
        {
            diagnostics.Add(ConfigDiagnostic.Info(field, $"resolved against STEPPATH: {path.FullPath} (step-ca 0.19 would look in the working directory)"));
        }
        return path;
    }

    private void StepPathFile(string field, string? value, ConfigDiagnosticSeverity missing)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        var path = resolver.ResolveStepPath(value);
        _resolved[field] = path;
        if (!File.Exists(path.FullPath))
        {
            diagnostics.Add(new(missing, field, $"file \"{value}\" not found ({path.FullPath})"));
        }
    }

    // "pkcs11:...", "awskms:..." but not a Windows drive letter ("C:\...").
    private static bool LooksLikeUri(string value)
    {
        var colon = value.IndexOf(':');
        return colon > 1 && char.IsAsciiLetter(value[0])
            && value.AsSpan(0, colon).ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.") is false;
    }
}
