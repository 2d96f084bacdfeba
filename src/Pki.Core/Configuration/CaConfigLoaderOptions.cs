namespace Smallstep.Pki.Configuration;

/// <summary>
/// Where <see cref="CaConfigLoader"/> resolves relative paths. Null members come from the process:
/// the current directory, the <c>STEPPATH</c> variable (else the parent of the folder holding
/// ca.json, i.e. <c>$STEPPATH/config/ca.json</c>), and <c>HOME</c> (else the user profile).
/// </summary>
public sealed record CaConfigLoaderOptions
{
    /// <summary>The working directory relative paths are tried against first.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>STEPPATH: the fallback base for relative paths and the base of template files.</summary>
    public string? StepPath { get; init; }

    /// <summary>The home directory for <c>~/</c> template paths.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Whether to check that the certificate, key and template files exist and can be read (default true).</summary>
    public bool CheckFiles { get; init; } = true;
}
