namespace Smallstep.Pki.Storage;

/// <summary>
/// The table (bucket) names step-ca creates (certificates <c>db/db.go</c>); names are
/// case-sensitive and must stay exactly as written so existing databases open.
/// </summary>
public static class StepTables
{
    /// <summary>Issued X.509 leaves: decimal serial → DER.</summary>
    public const string X509Certs = "x509_certs";
    /// <summary>Issuance metadata: decimal serial → JSON <c>{"provisioner":{id,name,type},"ra":...}</c>.</summary>
    public const string X509CertsData = "x509_certs_data";
    /// <summary>Revoked X.509 certificates: decimal serial → revocation JSON.</summary>
    public const string RevokedX509Certs = "revoked_x509_certs";
    /// <summary>The current CRL: key <c>crl</c>.</summary>
    public const string X509Crl = "x509_crl";
    /// <summary>Used one-time tokens: replay key → raw token.</summary>
    public const string UsedOtt = "used_ott";
    /// <summary>Issued SSH certificates: decimal serial → wire blob.</summary>
    public const string SshCerts = "ssh_certs";
    /// <summary>SSH host principals → serial.</summary>
    public const string SshHosts = "ssh_hosts";
    /// <summary>SSH host principals → {Serial,Expiry}.</summary>
    public const string SshHostPrincipals = "ssh_host_principals";
    /// <summary>SSH user principals → serial.</summary>
    public const string SshUsers = "ssh_users";
    /// <summary>Revoked SSH certificates.</summary>
    public const string RevokedSshCerts = "revoked_ssh_certs";

    /// <summary>Every table the authority creates at start-up, in step-ca's order.</summary>
    public static IReadOnlyList<string> Authority { get; } =
    [
        RevokedX509Certs, X509Certs, UsedOtt, SshCerts, SshHosts, SshHostPrincipals,
        SshUsers, RevokedSshCerts, X509CertsData, X509Crl,
    ];

    /// <summary>The authority's tables as a feature contribution (registered by <c>FromCaJson</c> and the authority stores).</summary>
    public static StorageTableSet AuthorityTableSet { get; } = new("authority", Authority);
}
