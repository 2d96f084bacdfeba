namespace Smallstep.Pki.Tests.Configuration;

/// <summary>The documentation examples in <c>Configuration/Data</c> (see its README.md).</summary>
internal static class ConfigTestData
{
    public static string Folder => Path.Combine(Fixtures.RepositoryRoot, "tests", "Pki.Core.Tests", "Configuration", "Data");

    public static string Text(string name) => File.ReadAllText(Path.Combine(Folder, name));

    public static IEnumerable<string> SeedExamples() =>
        Directory.EnumerateFiles(Folder, "seed-*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
}
