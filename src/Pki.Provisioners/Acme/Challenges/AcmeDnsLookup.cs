using DnsClient;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>Creates the DNS client the validators query: <see cref="AcmeChallengeOptions.Resolver"/>, else the system's name servers.</summary>
internal static class AcmeDnsLookup
{
    /// <summary>
    /// A thread-safe client without a cache (each attempt must see the zone as it is now,
    /// RFC 8555 §8.4), returning error responses instead of throwing them, falling back to TCP for
    /// truncated answers.
    /// </summary>
    public static LookupClient Create(AcmeChallengeOptions options)
    {
        var lookupOptions = options.Resolver is { } resolver
            ? new LookupClientOptions(new NameServer(ParseResolver(resolver)))
            : new LookupClientOptions();
        lookupOptions.UseCache = false;
        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.UseTcpFallback = true;
        lookupOptions.Timeout = options.Timeout < lookupOptions.Timeout ? options.Timeout : lookupOptions.Timeout;
        return new LookupClient(lookupOptions);
    }

    /// <summary>The client resolving the hosts http-01 and tls-alpn-01 connect to: null (the system resolver) unless <see cref="AcmeChallengeOptions.Resolver"/> is set.</summary>
    public static LookupClient? CreateForHosts(AcmeChallengeOptions options) => options.Resolver is null ? null : Create(options);

    private static System.Net.IPEndPoint ParseResolver(string resolver) =>
        AcmeChallengeOptionsValidator.TryParseResolver(resolver, out var endPoint)
            ? endPoint
            : throw new InvalidOperationException($"AcmeChallengeOptions.Resolver '{resolver}' is not an IP address with an optional port.");
}
