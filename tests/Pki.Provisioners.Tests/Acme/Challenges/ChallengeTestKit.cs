using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Provisioners.Acme.Challenges;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>Validators built the way the container builds them, with options a test chooses.</summary>
internal static class ChallengeTestKit
{
    /// <summary>A base64url SHA-256 JWK thumbprint, as RFC 8555 §8.1 appends to the token.</summary>
    public const string Thumbprint = "9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    /// <summary>The key authorization of <paramref name="token"/> (RFC 8555 §8.1).</summary>
    public static string KeyAuthorization(string token) => token + "." + Thumbprint;

    /// <summary>An attempt for <paramref name="token"/> with its key authorization.</summary>
    public static AcmeChallengeAttempt Attempt(string identifierType, string identifierValue, string token) =>
        new(identifierType, identifierValue, token, KeyAuthorization(token));

    /// <summary>Options for servers on this host: loopback allowed, a timeout short enough for a test that waits it out.</summary>
    public static AcmeChallengeOptions LocalOptions(Action<AcmeChallengeOptions>? change = null)
    {
        var options = new AcmeChallengeOptions { AllowLoopback = true, Timeout = TimeSpan.FromSeconds(10) };
        change?.Invoke(options);
        return options;
    }

    public static Http01ChallengeValidator Http01(AcmeChallengeOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<Http01ChallengeValidator>.Instance);

    public static Dns01ChallengeValidator Dns01(AcmeChallengeOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<Dns01ChallengeValidator>.Instance);

    public static TlsAlpn01ChallengeValidator TlsAlpn01(AcmeChallengeOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<TlsAlpn01ChallengeValidator>.Instance);

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
