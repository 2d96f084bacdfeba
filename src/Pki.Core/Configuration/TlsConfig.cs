using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The ca.json <c>tls</c> block with step-ca's defaults filled in for absent or zero members
/// (authority/config/tls_options.go, <c>Config.Validate</c>). Versions are JSON numbers (1.2).
/// </summary>
public sealed record TlsConfig
{
    /// <summary>step-ca's default cipher suites (TLS 1.2; TLS 1.3 suites are not configurable).</summary>
    public static IReadOnlyList<string> DefaultCipherSuites { get; } =
        ["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"];

    /// <summary>The cipher suite names step-ca recognises (tls_options.go <c>cipherSuites</c>).</summary>
    public static IReadOnlySet<string> KnownCipherSuites { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
        "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    };

    /// <summary>The options used when ca.json has no <c>tls</c> block.</summary>
    public static TlsConfig Default { get; } = new();

    /// <summary>The version numbers step-ca understands.</summary>
    public static IReadOnlyList<double> KnownVersions { get; } = [1.0, 1.1, 1.2, 1.3];

    /// <summary><c>cipherSuites</c>: Go cipher suite names.</summary>
    public IReadOnlyList<string> CipherSuites { get; init; } = DefaultCipherSuites;

    /// <summary><c>minVersion</c> (default 1.2).</summary>
    public double MinVersion { get; init; } = 1.2;

    /// <summary><c>maxVersion</c> (default 1.3).</summary>
    public double MaxVersion { get; init; } = 1.3;

    /// <summary><c>renegotiation</c> (default false).</summary>
    public bool Renegotiation { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static TlsConfig Read(ConfigObjectReader r)
    {
        var suites = r.Strings("cipherSuites");
        var min = r.Number("minVersion");
        var max = r.Number("maxVersion");
        return new TlsConfig
        {
            CipherSuites = suites is { Count: > 0 } ? suites : DefaultCipherSuites,
            MinVersion = min is { } m && m != 0 ? m : Default.MinVersion,
            MaxVersion = max is { } x && x != 0 ? x : Default.MaxVersion,
            Renegotiation = r.Boolean("renegotiation") ?? false,
            ExtensionData = r.Remaining(),
        };
    }

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.Strings("cipherSuites", CipherSuites);
        w.WriteNumber("minVersion", MinVersion);
        w.WriteNumber("maxVersion", MaxVersion);
        w.WriteBoolean("renegotiation", Renegotiation);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
