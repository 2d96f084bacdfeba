namespace Smallstep.Pki.Storage.Query;

/// <summary>The two kinds of certificate step-ca stores.</summary>
public enum CertificateKind
{
    /// <summary>An X.509 leaf (<c>x509_certs</c>).</summary>
    X509,

    /// <summary>An OpenSSH certificate (<c>ssh_certs</c>).</summary>
    Ssh,
}
