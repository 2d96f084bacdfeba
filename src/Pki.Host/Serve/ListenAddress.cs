using System.Net;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// ca.json <c>address</c> in Go's <c>host:port</c> form: <c>:9000</c> (every interface),
/// <c>127.0.0.1:9000</c>, <c>[::1]:9000</c>, <c>localhost:9000</c>.
/// </summary>
internal sealed record ListenAddress(string Host, int Port)
{
    public static ListenAddress Parse(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
        {
            throw new FormatException($"address \"{address}\" must be host:port");
        }
        var host = address[..colon].Trim('[', ']');
        return new ListenAddress(host, port);
    }

    /// <summary>The IP to bind, or null for every interface.</summary>
    public IPAddress? BindAddress => Host.Length == 0 ? null : IPAddress.TryParse(Host, out var ip) ? ip : Host == "localhost" ? IPAddress.Loopback : null;

    /// <summary>The host:port for URLs printed to the operator.</summary>
    public string UrlAuthority(string fallbackHost) => $"{(Host.Length == 0 ? fallbackHost : Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";
}
