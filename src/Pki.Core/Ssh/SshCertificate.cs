namespace Smallstep.Pki.Ssh;

/// <summary>A signed OpenSSH certificate.</summary>
/// <param name="Type">The certificate type name, e.g. <c>ecdsa-sha2-nistp256-cert-v01@openssh.com</c>.</param>
/// <param name="Blob">The certificate in wire form (what step-ca returns base64-encoded and stores).</param>
/// <param name="Description">The contents, with the nonce and serial actually used.</param>
/// <param name="SigningKey">The CA key that signed it.</param>
public sealed record SshCertificate(string Type, ReadOnlyMemory<byte> Blob, SshCertificateDescription Description, SshPublicKey SigningKey)
{
    /// <summary>The <c>authorized_keys</c>/<c>-cert.pub</c> form: <c>type base64</c>, and the comment if given.</summary>
    public string ToAuthorizedKey(string? comment = null) =>
        Type + " " + Convert.ToBase64String(Blob.Span) + (string.IsNullOrEmpty(comment) ? "" : " " + comment);
}
