using System.Globalization;
using Microsoft.Extensions.Options;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>Startup validation of <see cref="StepApiOptions"/>; messages name the setting.</summary>
internal sealed class StepApiOptionsValidator : IValidateOptions<StepApiOptions>
{
    // step-ca accepts exactly these TLS versions (authority/config/tls_options.go, tlsVersions).
    private static readonly double[] TlsVersions = [1.0, 1.1, 1.2, 1.3];

    public ValidateOptionsResult Validate(string? name, StepApiOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Version))
        {
            failures.Add("StepApiOptions.Version must not be empty.");
        }
        if (options.MaxRequestBodySize <= 0)
        {
            failures.Add($"StepApiOptions.MaxRequestBodySize must be positive (was {options.MaxRequestBodySize}).");
        }
        if (options.TlsOptions is { } tls)
        {
            if (!TlsVersions.Contains(tls.MinVersion))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"tls.minVersion {tls.MinVersion} is not a valid TLS version (1.0, 1.1, 1.2 or 1.3)."));
            }
            if (!TlsVersions.Contains(tls.MaxVersion))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"tls.maxVersion {tls.MaxVersion} is not a valid TLS version (1.0, 1.1, 1.2 or 1.3)."));
            }
            if (tls.MinVersion > tls.MaxVersion)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"tls.minVersion {tls.MinVersion} is greater than tls.maxVersion {tls.MaxVersion}."));
            }
            if (tls.CipherSuites is null)
            {
                failures.Add("tls.cipherSuites must not be null.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
