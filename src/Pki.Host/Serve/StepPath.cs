namespace Smallstep.Pki.Host.Serve;

/// <summary>step's base folder: <c>$STEPPATH</c>, else <c>~/.step</c>.</summary>
internal static class StepPath
{
    public static string Root
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("STEPPATH");
            return string.IsNullOrEmpty(fromEnv)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".step")
                : Path.GetFullPath(fromEnv);
        }
    }

    public static string DefaultConfigFile => Path.Combine(Root, "config", "ca.json");
}
