using System.Text.Json.Nodes;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>Copies of the read-only step-ca 0.19 fixture PKI (shared/fixtures/step-ca-0.19/pki) that a test may change.</summary>
internal static class FixturePkiCopy
{
    /// <summary>Copies every file of the fixture PKI into <paramref name="stepPath"/>.</summary>
    public static void CopyTo(string stepPath)
    {
        var source = Fixtures.Path("pki");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(stepPath, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Copies the fixture PKI into <paramref name="stepPath"/>, lets <paramref name="edit"/> change its ca.json, and returns the ca.json path.</summary>
    public static string Write(string stepPath, Action<JsonObject> edit)
    {
        CopyTo(stepPath);
        var configPath = Path.Combine(stepPath, "config", "ca.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        edit(config);
        File.WriteAllText(configPath, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return configPath;
    }
}
