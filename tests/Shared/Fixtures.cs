namespace Smallstep.Pki.Tests;

/// <summary>
/// Locates the step-ca fixtures in <c>../shared/fixtures/step-ca-0.19</c> (beside the repository
/// root), so compatibility tests read the real files rather than copies.
/// </summary>
internal static class Fixtures
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The fixture folder (<c>.../shared/fixtures/step-ca-0.19</c>).</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path inside the fixture folder.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The text of a fixture file.</summary>
    public static string Text(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>The bytes of a fixture file.</summary>
    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(Path(parts));

    /// <summary>The repository root (the folder holding Smallstep.Pki.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Smallstep.Pki.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new DirectoryNotFoundException("Smallstep.Pki.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("PKI_FIXTURES");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }
        for (var dir = new DirectoryInfo(RepositoryRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures", "step-ca-0.19");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("shared/fixtures/step-ca-0.19 not found beside the repository (set PKI_FIXTURES)");
    }
}
