namespace Smallstep.Pki.Configuration;

/// <summary>
/// Optional ca.json features a build may or may not run yet; see <see cref="FeatureSupport"/>.
/// Provisioner, KMS, database and RA types are listed as names instead.
/// </summary>
public enum ConfigFeature
{
    /// <summary>The <c>ssh</c> block: SSH certificate signing and the <c>/ssh/*</c> endpoints.</summary>
    SshCertificateAuthority,
    /// <summary><c>crl.enabled</c>: CRL generation and <c>/crl</c>.</summary>
    CertificateRevocationList,
    /// <summary><c>authority.policy</c>: the name policy engine.</summary>
    AuthorityPolicy,
    /// <summary><c>authority.template</c>: default subject attributes.</summary>
    AuthoritySubjectTemplate,
    /// <summary><c>authority.enableAdmin</c>: provisioners and admins in the database, admin API.</summary>
    RemoteAdministration,
    /// <summary><c>templates</c>: SSH client/server configuration templates (<c>/ssh/config</c>).</summary>
    SshConfigurationTemplates,
    /// <summary><c>insecureAddress</c>: the plain HTTP listener.</summary>
    InsecureListener,
    /// <summary><c>metricsAddress</c>: the metrics listener.</summary>
    Metrics,
    /// <summary><c>monitoring</c>: monitoring integrations.</summary>
    Monitoring,
}
