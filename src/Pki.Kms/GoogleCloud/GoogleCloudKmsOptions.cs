namespace Smallstep.Pki.Kms.GoogleCloud;

/// <summary>
/// Settings of the Google Cloud KMS key manager that ca.json does not carry (ca.json's <c>kms</c>
/// block gives only the credentials). Defaults come from the environment so a host started from
/// the command line can be pointed at a private endpoint.
/// </summary>
public sealed class GoogleCloudKmsOptions
{
    /// <summary>The environment variable overriding <see cref="Endpoint"/>.</summary>
    public const string EndpointVariable = "PKI_CLOUDKMS_ENDPOINT";

    /// <summary>The public Cloud KMS REST endpoint.</summary>
    public static Uri DefaultEndpoint { get; } = new("https://cloudkms.googleapis.com/");

    /// <summary>
    /// The REST API base URL (<c>v1/...</c> is appended), e.g. a Private Service Connect endpoint
    /// (<c>https://cloudkms-xyz.p.googleapis.com/</c>) or a local test server. Null (the default):
    /// <c>PKI_CLOUDKMS_ENDPOINT</c> when set, else <see cref="DefaultEndpoint"/>.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// A PEM file of extra root certificates trusted for the KMS endpoint and the OAuth token
    /// endpoint, besides the system's (for a private endpoint behind a private CA); default from
    /// <c>PKI_KMS_CA_FILE</c>.
    /// </summary>
    public string? ExtraRootsFile { get; set; } = Environment.GetEnvironmentVariable(Remote.KmsTls.ExtraRootsVariable);

    /// <summary>
    /// The protection level of keys this manager creates: <c>SOFTWARE</c> (default, as Cloud KMS
    /// picks when step passes none) or <c>HSM</c> (step kms create <c>--protection-level HSM</c>).
    /// </summary>
    public string ProtectionLevel { get; set; } = "SOFTWARE";

    /// <summary>The endpoint to use: <see cref="Endpoint"/>, else the environment variable, else the public API; always ending in <c>/</c>.</summary>
    /// <exception cref="Errors.PkiException">BadRequest when the environment variable is not an absolute https URL.</exception>
    internal Uri ResolveEndpoint()
    {
        var endpoint = Endpoint;
        if (endpoint is null && Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } variable)
        {
            endpoint = Uri.TryCreate(variable, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps ? parsed
                : throw Errors.PkiException.BadRequest($"{EndpointVariable} is not an absolute https URL");
        }
        endpoint ??= DefaultEndpoint;
        return endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
    }

    /// <summary>How often a new key version is polled until it is <c>ENABLED</c> (HSM keys are generated asynchronously).</summary>
    public TimeSpan KeyGenerationPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a new key version is polled before creation fails (step retries 10 times).</summary>
    public int KeyGenerationPollAttempts { get; set; } = 10;
}
