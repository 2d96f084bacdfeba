namespace Smallstep.Pki.Tests.Configuration;

/// <summary>A throw-away copy of the fixture pki/ (a STEPPATH) plus an empty working directory.</summary>
internal sealed class TempStepPath : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pki-config-" + Guid.NewGuid().ToString("N"));

    public TempStepPath()
    {
        StepPath = Path.Combine(_root, "step");
        WorkingDirectory = Path.Combine(_root, "cwd");
        Directory.CreateDirectory(WorkingDirectory);
        var source = Fixtures.Path("pki");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(StepPath, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string StepPath { get; }

    public string WorkingDirectory { get; }

    public string CaJson => Path.Combine(StepPath, "config", "ca.json");

    /// <summary>Rewrites ca.json with <paramref name="edit"/> applied to the fixture text.</summary>
    public void EditCaJson(Func<string, string> edit) => File.WriteAllText(CaJson, edit(File.ReadAllText(CaJson)));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
