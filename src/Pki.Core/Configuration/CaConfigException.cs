using System.Text;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// A ca.json (or defaults.json) that cannot be used: malformed JSON, wrong value types, bad
/// durations, missing required fields, unreadable files. <see cref="Errors"/> lists every problem
/// found, each naming its field; <see cref="Exception.Message"/> lists them one per line.
/// </summary>
/// <remarks>
/// This is a startup failure of the host, not a request error, so it is not a
/// <see cref="Errors.PkiException"/> (whose kinds map to HTTP statuses, and which is sealed).
/// </remarks>
public sealed class CaConfigException : Exception
{
    /// <summary>Creates the exception from one or more error diagnostics.</summary>
    /// <param name="source">The file (or a label such as <c>ca.json</c>) the errors are about.</param>
    /// <param name="errors">The problems; must not be empty.</param>
    public CaConfigException(string source, IReadOnlyList<ConfigDiagnostic> errors)
        : base(BuildMessage(source, errors))
    {
        ArgumentOutOfRangeException.ThrowIfZero(errors.Count, nameof(errors));
        ConfigFile = source;
        Errors = errors;
    }

    /// <summary>The file or label the errors are about.</summary>
    public string ConfigFile { get; }

    /// <summary>Every problem found, in document order.</summary>
    public IReadOnlyList<ConfigDiagnostic> Errors { get; }

    private static string BuildMessage(string source, IReadOnlyList<ConfigDiagnostic> errors)
    {
        if (errors.Count == 1)
        {
            return $"{source}: {errors[0]}";
        }
        var text = new StringBuilder($"{source}: {errors.Count} problems:");
        foreach (var error in errors)
        {
            text.Append("\n  - ").Append(error);
        }
        return text.ToString();
    }
}
