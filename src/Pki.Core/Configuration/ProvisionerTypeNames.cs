namespace Smallstep.Pki.Configuration;

/// <summary>
/// The provisioner <c>type</c> values step-ca knows, spelled as step writes them (and as stored in
/// <c>x509_certs_data</c>). ca.json matches them case-insensitively
/// (authority/provisioner/provisioner.go <c>List.UnmarshalJSON</c>).
/// </summary>
public static class ProvisionerTypeNames
{
    /// <summary>JSON Web Key tokens.</summary>
    public const string Jwk = "JWK";

    /// <summary>OpenID Connect ID tokens.</summary>
    public const string Oidc = "OIDC";

    /// <summary>Google Cloud instance identity.</summary>
    public const string Gcp = "GCP";

    /// <summary>AWS instance identity documents.</summary>
    public const string Aws = "AWS";

    /// <summary>Azure managed identity tokens.</summary>
    public const string Azure = "Azure";

    /// <summary>ACME (RFC 8555).</summary>
    public const string Acme = "ACME";

    /// <summary>X.509 certificate-signed tokens.</summary>
    public const string X5C = "X5C";

    /// <summary>Kubernetes service account tokens.</summary>
    public const string K8sSA = "K8sSA";

    /// <summary>SSH certificate proof-of-possession tokens.</summary>
    public const string SshPop = "SSHPOP";

    /// <summary>SCEP (RFC 8894).</summary>
    public const string Scep = "SCEP";

    /// <summary>Nebula certificate-signed tokens.</summary>
    public const string Nebula = "Nebula";

    /// <summary>Every type above.</summary>
    public static IReadOnlyList<string> All { get; } = [Jwk, Oidc, Gcp, Aws, Azure, Acme, X5C, K8sSA, SshPop, Scep, Nebula];
}
