using System.Buffers.Text;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DnsClient;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// dns-01 (RFC 8555 §8.4): a TXT record of <c>_acme-challenge.{domain}</c> must hold
/// base64url(SHA-256(key authorization)). Queries <see cref="AcmeChallengeOptions.Resolver"/>
/// (else the system's name servers) without a cache; CNAMEs are followed by the recursive
/// resolver, whose answer carries the chain. The character-strings of one TXT record are
/// concatenated, as Go's <c>net.LookupTXT</c> (step-ca) and RFC 7208 §3.3 do. As in step-ca,
/// a failed lookup and a missing value both leave the challenge pending: the record may not have
/// propagated yet. Thread-safe.
/// </summary>
internal sealed class Dns01ChallengeValidator : IAcmeChallengeValidator
{
    private readonly AcmeChallengeAttemptRunner runner;
    private readonly LookupClient lookup;

    public Dns01ChallengeValidator(IOptions<AcmeChallengeOptions> options, TimeProvider timeProvider, ILogger<Dns01ChallengeValidator> logger)
    {
        runner = new AcmeChallengeAttemptRunner(Type, options.Value, timeProvider, logger);
        lookup = AcmeDnsLookup.Create(options.Value);
    }

    /// <inheritdoc />
    public string Type => "dns-01";

    /// <inheritdoc />
    public ValueTask<AcmeChallengeOutcome> ValidateAsync(AcmeChallengeAttempt attempt, CancellationToken cancellationToken) =>
        runner.RunAsync(attempt, LookUpAsync, cancellationToken);

    private async ValueTask<AcmeChallengeOutcome> LookUpAsync(AcmeChallengeTarget target, AcmeChallengeAttempt attempt, CancellationToken cancellationToken)
    {
        if (target.Address is not null)
        {
            // RFC 8738 §7: dns-01 must not be used for IP identifiers.
            return new AcmeChallengeOutcome(AcmeChallengeVerdict.Invalid, "unsupportedIdentifier", "dns-01 cannot validate an ip identifier (RFC 8738 §7)");
        }
        var name = "_acme-challenge." + target.Name;
        IDnsQueryResponse response;
        try
        {
            response = await lookup.QueryAsync(name, QueryType.TXT, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DnsResponseException or SocketException)
        {
            return new AcmeChallengeOutcome(AcmeChallengeVerdict.RetryLater, "dns", $"cannot look up TXT {name}: {e.Message}");
        }
        if (response.HasError)
        {
            return new AcmeChallengeOutcome(AcmeChallengeVerdict.RetryLater, "dns", $"cannot look up TXT {name}: {response.Header.ResponseCode} ({response.ErrorMessage})");
        }
        var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(attempt.KeyAuthorization)));
        var found = response.Answers.TxtRecords().Select(record => string.Concat(record.Text)).ToList();
        if (found.Contains(expected, StringComparer.Ordinal))
        {
            return AcmeChallengeOutcome.Valid;
        }
        return new AcmeChallengeOutcome(AcmeChallengeVerdict.RetryLater, "incorrectResponse",
            found.Count == 0
                ? $"no TXT record at {name}; expected \"{expected}\""
                : $"no TXT record at {name} is \"{expected}\" (found {found.Count})");
    }
}
