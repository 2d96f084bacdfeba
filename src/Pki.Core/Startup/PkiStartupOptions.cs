namespace Smallstep.Pki.Startup;

/// <summary>Options of the start-up step that builds the authority (<see cref="PkiStartup"/>).</summary>
public sealed class PkiStartupOptions
{
    /// <summary>
    /// Log the start-up diagnostics (ca.json features ignored, path notes, pending provisioners)
    /// as warnings under <c>Smallstep.Pki.Startup</c>; default true. The host turns it off and
    /// prints the same list inside its start-up banner.
    /// </summary>
    public bool LogDiagnostics { get; set; } = true;
}
