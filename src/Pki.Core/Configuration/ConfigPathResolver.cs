namespace Smallstep.Pki.Configuration;

/// <summary>Which directory a relative ca.json path was resolved against.</summary>
public enum ConfigPathBase
{
    /// <summary>The path was absolute.</summary>
    Absolute,
    /// <summary>The process working directory (what step-ca 0.19 uses for <c>root</c>, <c>crt</c>, <c>key</c>, ...).</summary>
    WorkingDirectory,
    /// <summary>STEPPATH (the folder holding <c>config/ca.json</c> unless the STEPPATH variable says otherwise).</summary>
    StepPath,
    /// <summary>The home directory (<c>~/</c> paths of <c>step.Abs</c>).</summary>
    Home,
}

/// <summary>A ca.json path and where it points.</summary>
/// <param name="Value">The path as written in ca.json.</param>
/// <param name="FullPath">The absolute path it resolved to.</param>
/// <param name="Base">The directory a relative <paramref name="Value"/> was resolved against.</param>
public sealed record ResolvedConfigPath(string Value, string FullPath, ConfigPathBase Base)
{
    /// <summary>True when a file or directory exists at <see cref="FullPath"/>.</summary>
    public bool Exists => File.Exists(FullPath) || Directory.Exists(FullPath);
}

/// <summary>
/// Resolves relative paths from a ca.json. Thread-safe; it only reads the file system.
/// </summary>
/// <remarks>
/// step-ca 0.19 opens <c>root</c>, <c>crt</c>, <c>key</c>, SSH keys and <c>db.dataSource</c>
/// relative to the working directory, while <c>step ca init</c> lays files out under STEPPATH,
/// so a CA started from another directory fails there. <see cref="Resolve"/> keeps 0.19's
/// behaviour when the path exists under the working directory and otherwise falls back to
/// STEPPATH. <see cref="ResolveStepPath"/> is <c>step.Abs</c>, used by step-ca for template files.
/// </remarks>
public sealed class ConfigPathResolver
{
    /// <summary>Creates a resolver; every directory is made absolute.</summary>
    public ConfigPathResolver(string workingDirectory, string stepPath, string homeDirectory)
    {
        WorkingDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workingDirectory));
        StepPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(stepPath, WorkingDirectory));
        HomeDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(homeDirectory, WorkingDirectory));
    }

    /// <summary>The working directory relative paths are tried against first.</summary>
    public string WorkingDirectory { get; }

    /// <summary>STEPPATH: the fallback base for relative paths and the base of <see cref="ResolveStepPath"/>.</summary>
    public string StepPath { get; }

    /// <summary>The home directory for <c>~/</c> in <see cref="ResolveStepPath"/>.</summary>
    public string HomeDirectory { get; }

    /// <summary>
    /// An absolute path is kept; a relative one resolves against the working directory when a
    /// file or directory exists there, else against <see cref="StepPath"/>.
    /// </summary>
    public ResolvedConfigPath Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Path.IsPathRooted(path))
        {
            return new(path, Path.GetFullPath(path), ConfigPathBase.Absolute);
        }
        var inWorkingDirectory = new ResolvedConfigPath(path, Path.GetFullPath(path, WorkingDirectory), ConfigPathBase.WorkingDirectory);
        return inWorkingDirectory.Exists || WorkingDirectory == StepPath
            ? inWorkingDirectory
            : new(path, Path.GetFullPath(path, StepPath), ConfigPathBase.StepPath);
    }

    /// <summary>The absolute path of <see cref="Resolve"/>; what the rest of the system opens.</summary>
    public string ResolvePath(string path) => Resolve(path).FullPath;

    /// <summary>
    /// step's <c>step.Abs</c> ([cli-utils] step/config.go): absolute kept; <c>~/</c> = home;
    /// <c>./</c> and <c>../</c> = working directory; anything else relative to STEPPATH.
    /// </summary>
    public ResolvedConfigPath ResolveStepPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Path.IsPathRooted(path))
        {
            return new(path, Path.GetFullPath(path), ConfigPathBase.Absolute);
        }
        // Windows accepts both separators; elsewhere a backslash is part of a name.
        var slashed = Path.DirectorySeparatorChar == '\\' ? path.Replace('\\', '/') : path;
        if (slashed.StartsWith("~/", StringComparison.Ordinal))
        {
            return new(path, Path.GetFullPath(path[2..], HomeDirectory), ConfigPathBase.Home);
        }
        if (slashed.StartsWith("./", StringComparison.Ordinal) || slashed.StartsWith("../", StringComparison.Ordinal))
        {
            return new(path, Path.GetFullPath(path, WorkingDirectory), ConfigPathBase.WorkingDirectory);
        }
        return new(path, Path.GetFullPath(path, StepPath), ConfigPathBase.StepPath);
    }
}
