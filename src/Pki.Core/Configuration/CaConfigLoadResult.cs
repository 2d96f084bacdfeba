namespace Smallstep.Pki.Configuration;

/// <summary>A ca.json that loaded and validated, with where its paths point.</summary>
public sealed class CaConfigLoadResult
{
    internal CaConfigLoadResult(
        CaConfig config, string configPath, ConfigPathResolver paths,
        IReadOnlyDictionary<string, ResolvedConfigPath> resolvedPaths, IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        Config = config;
        ConfigPath = configPath;
        Paths = paths;
        ResolvedPaths = resolvedPaths;
        Diagnostics = diagnostics;
    }

    /// <summary>The configuration.</summary>
    public CaConfig Config { get; }

    /// <summary>The absolute path of the ca.json that was read (for reloads and for writing it back).</summary>
    public string ConfigPath { get; }

    /// <summary>The resolver used, with the working directory and STEPPATH it used.</summary>
    public ConfigPathResolver Paths { get; }

    /// <summary>
    /// Every path field that was set, by field path (<c>root</c> or <c>root[1]</c>,
    /// <c>federatedRoots[0]</c>, <c>crt</c>, <c>key</c>, <c>ssh.hostKey</c>, <c>ssh.userKey</c>,
    /// <c>db.dataSource</c>, <c>db.valueDir</c>, <c>templates.ssh.user[0].template</c>,
    /// <c>authority.provisioners[0].options.x509.templateFile</c>, ...). KMS key URIs are not paths
    /// and do not appear.
    /// </summary>
    public IReadOnlyDictionary<string, ResolvedConfigPath> ResolvedPaths { get; }

    /// <summary>Warnings and notes (unknown fields, paths resolved against STEPPATH, ...); never errors.</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }

    /// <summary>Resolves another ca.json path the same way (working directory if it exists there, else STEPPATH).</summary>
    public string ResolvePath(string path) => Paths.ResolvePath(path);
}
