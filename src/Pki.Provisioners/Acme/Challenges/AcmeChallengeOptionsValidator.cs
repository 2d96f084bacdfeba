using System.Net;
using Microsoft.Extensions.Options;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>Startup validation of <see cref="AcmeChallengeOptions"/>; messages name the setting.</summary>
internal sealed class AcmeChallengeOptionsValidator : IValidateOptions<AcmeChallengeOptions>
{
    /// <summary>The longest accepted <see cref="AcmeChallengeOptions.Timeout"/>.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, AcmeChallengeOptions options)
    {
        var failures = new List<string>();
        if (options.HttpPort is < 1 or > 65535)
        {
            failures.Add($"AcmeChallengeOptions.HttpPort must be a TCP port, 1 to 65535 (was {options.HttpPort}).");
        }
        if (options.TlsPort is < 1 or > 65535)
        {
            failures.Add($"AcmeChallengeOptions.TlsPort must be a TCP port, 1 to 65535 (was {options.TlsPort}).");
        }
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"AcmeChallengeOptions.Timeout must be positive and at most {MaxTimeout} (was {options.Timeout}).");
        }
        if (options.MaxResponseBytes <= 0)
        {
            failures.Add($"AcmeChallengeOptions.MaxResponseBytes must be positive (was {options.MaxResponseBytes}).");
        }
        if (options.MaxRedirects < 0)
        {
            failures.Add($"AcmeChallengeOptions.MaxRedirects must not be negative (was {options.MaxRedirects}).");
        }
        if (options.Resolver is { } resolver && !TryParseResolver(resolver, out _))
        {
            failures.Add($"AcmeChallengeOptions.Resolver '{resolver}' is not an IP address with an optional port (e.g. 10.0.0.53:53 or [2001:db8::53]:53).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Parses <see cref="AcmeChallengeOptions.Resolver"/>: an IP address and an optional port, 53 by default.</summary>
    public static bool TryParseResolver(string value, out IPEndPoint endPoint)
    {
        if (!IPEndPoint.TryParse(value.Trim(), out var parsed) || parsed is null)
        {
            endPoint = new IPEndPoint(IPAddress.None, 0);
            return false;
        }
        endPoint = parsed.Port == 0 ? new IPEndPoint(parsed.Address, 53) : parsed;
        return true;
    }
}
