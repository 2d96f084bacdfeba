using System.Text.Json.Nodes;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Backends;

/// <summary>A writable copy of the fixture PKI with an edited ca.json.</summary>
internal sealed class PkiCopy : IDisposable
{
    public const string Password = "fixture-test-password";
    private readonly DirectoryInfo _directory;

    public PkiCopy(Action<JsonObject>? edit = null)
    {
        _directory = Directory.CreateTempSubdirectory("pki-backends-");
        var source = Fixtures.Path("pki");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_directory.FullName, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        Edit(edit ?? (_ => { }));
    }

    public string StepPath => _directory.FullName;

    public string ConfigPath => Path.Combine(StepPath, "config", "ca.json");

    public CaConfigLoaderOptions LoaderOptions => new() { StepPath = StepPath, WorkingDirectory = StepPath };

    public CaConfigLoadResult Load() => new CaConfigLoader(LoaderOptions).Load(ConfigPath);

    public void Edit(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        edit(json);
        File.WriteAllText(ConfigPath, json.ToJsonString());
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
