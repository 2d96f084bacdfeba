using System.Reflection;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// Settings of the step-ca compatible CA API (<see cref="StepApiEndpointRouteBuilderExtensions.MapStepApi"/>).
/// Read per request through <c>IOptionsMonitor&lt;StepApiOptions&gt;</c>, so a reload takes effect on
/// the next request; validated at startup when registered with
/// <see cref="StepApiServiceCollectionExtensions.AddStepApi"/>.
/// </summary>
public sealed class StepApiOptions
{
    /// <summary>The default largest request body: 1 MiB (step-ca itself sets no limit).</summary>
    public const int DefaultMaxRequestBodySize = 1024 * 1024;

    /// <summary>
    /// The version <c>GET /version</c> reports (step-ca: the build's <c>main.Version</c>). Defaults to
    /// this assembly's informational version.
    /// </summary>
    public string Version { get; set; } = DefaultVersion();

    /// <summary>
    /// Reported as <c>requireClientAuthentication</c> by <c>GET /version</c> (omitted when false, as
    /// step-ca's <c>VersionResponse</c> does).
    /// </summary>
    public bool RequireClientAuthentication { get; set; }

    /// <summary>
    /// The ca.json <c>tls</c> block echoed as <c>tlsOptions</c> in sign, renew and rekey responses;
    /// null omits the member (step-ca's <c>omitempty</c> on a nil pointer). Defaults to step-ca's
    /// defaults (authority/config/tls_options.go).
    /// </summary>
    public StepTlsOptions? TlsOptions { get; set; } = new();

    /// <summary>
    /// The largest accepted request body in bytes; a larger body is answered with 413 in the step-ca
    /// error shape. Default <see cref="DefaultMaxRequestBodySize"/>.
    /// </summary>
    public int MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    private static string DefaultVersion() =>
        typeof(StepApiOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
