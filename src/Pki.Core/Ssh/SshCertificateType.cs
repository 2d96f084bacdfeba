namespace Smallstep.Pki.Ssh;

/// <summary>The OpenSSH certificate type (PROTOCOL.certkeys: <c>uint32 type</c>).</summary>
public enum SshCertificateType
{
    /// <summary>Not set; a certificate cannot be signed with it.</summary>
    None = 0,

    /// <summary><c>SSH_CERT_TYPE_USER</c> (1): authenticates a user to a server.</summary>
    User = 1,

    /// <summary><c>SSH_CERT_TYPE_HOST</c> (2): authenticates a host to a client.</summary>
    Host = 2,
}
