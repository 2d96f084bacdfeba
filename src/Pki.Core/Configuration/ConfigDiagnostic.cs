namespace Smallstep.Pki.Configuration;

/// <summary>How serious a <see cref="ConfigDiagnostic"/> is.</summary>
public enum ConfigDiagnosticSeverity
{
    /// <summary>Worth knowing (for example which base directory a relative path was resolved against).</summary>
    Info,
    /// <summary>The CA can start, but something is ignored or will not work as configured.</summary>
    Warning,
    /// <summary>The CA must not start with this configuration.</summary>
    Error,
}

/// <summary>
/// One finding about a ca.json, naming the field with a JSON-style path such as
/// <c>authority.provisioners[0].claims.maxTLSCertDuration</c> (empty for the whole file).
/// </summary>
/// <param name="Severity">How serious the finding is.</param>
/// <param name="Field">The field path; empty when the finding concerns the whole document.</param>
/// <param name="Message">What is wrong, without the field path.</param>
public sealed record ConfigDiagnostic(ConfigDiagnosticSeverity Severity, string Field, string Message)
{
    /// <summary>An error about <paramref name="field"/>.</summary>
    public static ConfigDiagnostic Error(string field, string message) => new(ConfigDiagnosticSeverity.Error, field, message);

    /// <summary>A warning about <paramref name="field"/>.</summary>
    public static ConfigDiagnostic Warning(string field, string message) => new(ConfigDiagnosticSeverity.Warning, field, message);

    /// <summary>An informational note about <paramref name="field"/>.</summary>
    public static ConfigDiagnostic Info(string field, string message) => new(ConfigDiagnosticSeverity.Info, field, message);

    /// <summary><c>field: message</c>, or the message alone when no field is named.</summary>
    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";
}
