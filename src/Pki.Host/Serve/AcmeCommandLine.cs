using Smallstep.Pki.Host.Cli;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// step-ca's ACME validation flags: <c>--acme-http-port</c> (http-01, default 80),
/// <c>--acme-tls-port</c> (tls-alpn-01, default 443) and <c>--resolver</c> (dns-01, host:port of a
/// DNS server). Registered as a singleton for the challenge validators' options.
/// </summary>
/// <param name="HttpPort">The http-01 port, or null for 80.</param>
/// <param name="TlsPort">The tls-alpn-01 port, or null for 443.</param>
/// <param name="Resolver">The DNS resolver address, or null for the system's.</param>
internal sealed record AcmeCommandLine(int? HttpPort, int? TlsPort, string? Resolver)
{
    /// <summary>No flags given.</summary>
    public static AcmeCommandLine None { get; } = new(null, null, null);

    /// <summary>Reads and checks the flags.</summary>
    public static AcmeCommandLine Read(CommandLine line) =>
        new(Port(line, "acme-http-port"), Port(line, "acme-tls-port"), line.Get("resolver") is { Length: > 0 } resolver ? resolver : null);

    private static int? Port(CommandLine line, string flag) => line.Get(flag) switch
    {
        null => null,
        var text when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 => port,
        var text => throw new UsageException($"--{flag} must be a port number (1-65535), got \"{text}\""),
    };
}
