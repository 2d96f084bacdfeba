namespace Smallstep.Pki.Configuration;

/// <summary>
/// Reads, checks and resolves a ca.json at startup (and on reload). Every problem found is
/// reported at once in a <see cref="CaConfigException"/>, so an operator fixes the file in one go.
/// </summary>
/// <remarks>Thread-safe: it holds only options.</remarks>
public sealed class CaConfigLoader
{
    private readonly CaConfigLoaderOptions _options;

    /// <summary>Creates a loader; see <see cref="CaConfigLoaderOptions"/> for the defaults.</summary>
    public CaConfigLoader(CaConfigLoaderOptions? options = null) => _options = options ?? new CaConfigLoaderOptions();

    /// <summary>
    /// Loads <paramref name="path"/>: parses it (<see cref="CaConfig.Parse"/>), validates it as
    /// step-ca does, resolves its paths and (unless disabled) checks that the files exist and are
    /// readable. Throws <see cref="CaConfigException"/> listing every error.
    /// </summary>
    public CaConfigLoadResult Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var configPath = Path.GetFullPath(path);
        var diagnostics = new List<ConfigDiagnostic>();
        var config = ConfigDocument.ParseObject(ReadFile(configPath), configPath, CaConfig.Read, diagnostics);
        CaConfigValidator.Validate(config, diagnostics);
        var resolver = CreateResolver(configPath);
        var files = new ConfigFileCheck(resolver, diagnostics);
        if (_options.CheckFiles)
        {
            files.Check(config);
        }
        var errors = diagnostics.Where(d => d.Severity == ConfigDiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new CaConfigException(configPath, errors);
        }
        return new CaConfigLoadResult(config, configPath, resolver, files.Resolved, diagnostics);
    }

    private static string ReadFile(string configPath)
    {
        try
        {
            var info = new FileInfo(configPath);
            if (info.Exists && info.Length > ConfigDocument.MaxBytes)
            {
                throw new CaConfigException(configPath, [ConfigDiagnostic.Error(string.Empty, $"file is larger than {ConfigDocument.MaxBytes} bytes")]);
            }
            return File.ReadAllText(configPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaConfigException(configPath, [ConfigDiagnostic.Error(string.Empty, $"cannot read the file: {e.Message}")]);
        }
    }

    private ConfigPathResolver CreateResolver(string configPath)
    {
        var workingDirectory = _options.WorkingDirectory ?? Environment.CurrentDirectory;
        var stepPath = _options.StepPath
            ?? NonEmpty(Environment.GetEnvironmentVariable("STEPPATH"))
            ?? StepPathOf(configPath);
        var home = _options.HomeDirectory
            ?? NonEmpty(Environment.GetEnvironmentVariable("HOME"))
            ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new ConfigPathResolver(workingDirectory, stepPath, home);
    }

    // $STEPPATH/config/ca.json: the folder above the one holding the file.
    private static string StepPathOf(string configPath)
    {
        var configDirectory = Path.GetDirectoryName(configPath)!;
        return Path.GetDirectoryName(configDirectory) ?? configDirectory;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
