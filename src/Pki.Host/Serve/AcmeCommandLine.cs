using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// step-ca's ACME validation flags: <c>--acme-http-port</c> (http-01, default 80),
/// <c>--acme-tls-port</c> (tls-alpn-01, default 443) and <c>--resolver</c> (dns-01, host:port of a
/// DNS server). Registered as a singleton for the challenge validators' options.
/// </summary>
/// <param name="HttpPort">The http-01 port, or null for 80.</param>
/// <param name="TlsPort">The tls-alpn-01 port, or null for 443.</param>
/// <param name="Resolver">The DNS resolver address, or null for the system's.</param>
/// <param name="AllowLoopback"><c>--acme-allow-loopback</c> (ours): challenges may connect to loopback addresses, for a CA and its clients on one machine; off by default so a challenge cannot reach the CA host's own services.</param>
internal sealed record AcmeCommandLine(int? HttpPort, int? TlsPort, string? Resolver, bool AllowLoopback = false)
{
    /// <summary>No flags given.</summary>
    public static AcmeCommandLine None { get; } = new(null, null, null);

    /// <summary>Reads and checks the flags.</summary>
    public static AcmeCommandLine Read(CommandLine line) =>
        new(Port(line, "acme-http-port"), Port(line, "acme-tls-port"), line.Get("resolver") is { Length: > 0 } resolver ? resolver : null,
            line.Has("acme-allow-loopback"));

    /// <summary>Applies the flags to the challenge validators' options.</summary>
    public void Configure(AcmeChallengeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.HttpPort = HttpPort ?? options.HttpPort;
        options.TlsPort = TlsPort ?? options.TlsPort;
        options.Resolver = Resolver ?? options.Resolver;
        options.AllowLoopback = AllowLoopback;
    }

    private static int? Port(CommandLine line, string flag) => line.Get(flag) switch
    {
        null => null,
        var text when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 => port,
        var text => throw new UsageException($"--{flag} must be a port number (1-65535), got \"{text}\""),
    };
}
