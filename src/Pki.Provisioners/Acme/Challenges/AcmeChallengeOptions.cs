namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// Settings of the ACME challenge validators (http-01, dns-01, tls-alpn-01), bindable from
/// configuration and validated at startup when registered with
/// <c>AddAcmeChallengeValidators</c>. The validators read them once, when they are created.
/// </summary>
/// <remarks>
/// Network policy (against server-side request forgery): every address a challenge connects to —
/// after name resolution and on every http-01 redirect hop — is checked, and the connection goes to
/// that checked address, so a DNS answer that changes between the check and the connection (DNS
/// rebinding) cannot bypass the policy. Link-local addresses (169.254.0.0/16 and fe80::/10, where
/// cloud metadata services live), multicast, unspecified, broadcast and reserved addresses are always
/// refused; loopback and private ranges follow <see cref="AllowLoopback"/> and
/// <see cref="AllowPrivateNetworks"/>.
/// </remarks>
public sealed class AcmeChallengeOptions
{
    /// <summary>The default per-attempt timeout: 30 seconds, as step-ca's validation client.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default largest http-01 response body: 64 KiB.</summary>
    public const int DefaultMaxResponseBytes = 64 * 1024;

    /// <summary>The default largest number of http-01 redirects followed: 10.</summary>
    public const int DefaultMaxRedirects = 10;

    /// <summary>
    /// The port http-01 connects to (RFC 8555 §8.3: 80). Other values are for tests and
    /// non-standard setups (step-ca's <c>--acme-http-port</c>); redirects may then also go to it.
    /// </summary>
    public int HttpPort { get; set; } = 80;

    /// <summary>
    /// The port tls-alpn-01 connects to (RFC 8737 §3: 443). Other values are for tests and
    /// non-standard setups (step-ca's <c>--acme-tls-port</c>); http-01 redirects may then also go to it.
    /// </summary>
    public int TlsPort { get; set; } = 443;

    /// <summary>
    /// The DNS server used for dns-01 TXT lookups and for resolving the names http-01 and
    /// tls-alpn-01 connect to, as <c>host:port</c> with an IP address host (<c>10.0.0.53:53</c>,
    /// <c>[2001:db8::53]:53</c>; the port defaults to 53). Null uses the system resolver
    /// (step-ca's <c>--resolver</c>).
    /// </summary>
    public string? Resolver { get; set; }

    /// <summary>
    /// The time one attempt may take, connection, redirects and body included. Default
    /// <see cref="DefaultTimeout"/>; must be positive and at most 5 minutes, so an attempt is always bounded.
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// The largest http-01 response body accepted, in bytes (RFC 8555 §8.3: the body is the key
    /// authorization, well under 1 KiB); a larger body makes the challenge invalid. Default
    /// <see cref="DefaultMaxResponseBytes"/>.
    /// </summary>
    public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>
    /// The largest number of redirects an http-01 attempt follows (RFC 8555 §8.3 allows following
    /// them; §10.2 asks to bound them). Zero follows none. Default <see cref="DefaultMaxRedirects"/>.
    /// </summary>
    public int MaxRedirects { get; set; } = DefaultMaxRedirects;

    /// <summary>
    /// Whether challenges may connect to loopback addresses (127.0.0.0/8, ::1). Default false: a
    /// client must not make the CA talk to its own host's services. Tests and single-host setups
    /// turn it on.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// Whether challenges may connect to private and shared address ranges (10.0.0.0/8,
    /// 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7 and the deprecated fec0::/10).
    /// Default true, because this is a private CA: its ACME clients are usually hosts on an
    /// internal network whose names resolve to exactly these ranges. A CA that validates names on
    /// the public internet sets it to false.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; } = true;
}
