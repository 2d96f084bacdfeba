using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// An ACME server (RFC 8555) that real clients are pointed at: Pebble today, our host once its ACME
/// server lands. One instance per test fixture; <see cref="StartAsync"/> is called once, before any
/// client runs, and <see cref="IAsyncDisposable.DisposeAsync"/> stops it and removes its files.
/// Implementations need a public parameterless constructor (fixtures are generic over them).
/// </summary>
internal interface IAcmeServerUnderTest : IAsyncDisposable
{
    /// <summary>Short name for messages ("pebble", "pki-host").</summary>
    string Name { get; }

    /// <summary>The directory URL clients get as <c>--server</c> (HTTPS on 127.0.0.1).</summary>
    Uri DirectoryUrl { get; }

    /// <summary>A PEM file with the root the ACME endpoint's TLS certificate chains to (the only trust clients get).</summary>
    string TlsTrustBundlePath { get; }

    /// <summary>An external account binding key the server accepts (RFC 8555 §7.3.4), or null when it has none.</summary>
    ExternalAccountKey? ExternalAccount { get; }

    /// <summary>Starts the server with its validator contacting the given ports and resolving names through the given DNS server.</summary>
    Task StartAsync(AcmeServerSettings settings);

    /// <summary>The root (PEM) that issued certificates chain to.</summary>
    Task<X509Certificate2> GetIssuingRootAsync();

    /// <summary>Whether the server records <paramref name="certificate"/> as revoked; null when it cannot tell.</summary>
    Task<bool?> IsRevokedAsync(X509Certificate2 certificate);

    /// <summary>The server's recent log lines, for failure messages.</summary>
    string LogTail();
}

/// <summary>What a fixture gives the server under test.</summary>
/// <param name="WorkDirectory">An empty directory the server may write to (removed by the fixture).</param>
/// <param name="HttpChallengePort">Where the validator connects for http-01 (the clients' standalone servers listen there).</param>
/// <param name="TlsAlpnChallengePort">Where the validator connects for tls-alpn-01.</param>
/// <param name="DnsResolver"><c>127.0.0.1:PORT</c> of the private bind9 that resolves the test names and holds dns-01 TXT records.</param>
internal sealed record AcmeServerSettings(string WorkDirectory, int HttpChallengePort, int TlsAlpnChallengePort, string DnsResolver);

/// <summary>An EAB key: its key identifier and the base64url HMAC key, as lego's <c>--kid</c>/<c>--hmac</c> take them.</summary>
internal sealed record ExternalAccountKey(string KeyId, string HmacKeyBase64Url);

/// <summary>
/// Optional capability: the server also serves step-ca's API, so a certificate it issued over ACME can
/// be renewed with <c>POST /1.0/renew</c> over mutual TLS (what <c>step ca renew</c> does).
/// </summary>
internal interface IStepRenewEndpoint
{
    /// <summary>The step API's base address (https://127.0.0.1:PORT).</summary>
    Uri StepBaseAddress { get; }
}
