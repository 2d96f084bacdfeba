namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The ca.json <c>tls</c> block as step-ca echoes it to clients (<c>config.TLSOptions</c>,
/// authority/config/tls_options.go): <c>{"cipherSuites":[...],"minVersion":1.2,"maxVersion":1.3,"renegotiation":false}</c>,
/// TLS versions as JSON numbers. The defaults are step-ca's.
/// </summary>
public sealed class StepTlsOptions
{
    /// <summary>Cipher suite names as in ca.json (Go's names, e.g. <c>TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256</c>).</summary>
    public IReadOnlyList<string> CipherSuites { get; set; } =
        ["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"];

    /// <summary>The lowest TLS version, as step-ca's float (1.0, 1.1, 1.2 or 1.3). Default 1.2.</summary>
    public double MinVersion { get; set; } = 1.2;

    /// <summary>The highest TLS version, as step-ca's float. Default 1.3.</summary>
    public double MaxVersion { get; set; } = 1.3;

    /// <summary>Whether TLS renegotiation is allowed. Default false.</summary>
    public bool Renegotiation { get; set; }
}
