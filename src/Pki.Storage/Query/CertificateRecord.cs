namespace Smallstep.Pki.Storage.Query;

/// <summary>
/// One stored certificate as a query returns it: the table row decoded, joined with its issuance
/// metadata (<c>x509_certs_data</c>) and its revocation (<c>revoked_x509_certs</c> /
/// <c>revoked_ssh_certs</c>). Immutable.
/// </summary>
public sealed record CertificateRecord
{
    /// <summary>X.509 or SSH.</summary>
    public required CertificateKind Kind { get; init; }

    /// <summary>The serial as stored (the table key): a decimal number.</summary>
    public required string Serial { get; init; }

    /// <summary>X.509: the subject DN as RFC 4514 text (<c>CN=...,O=...</c>, as Go and <c>openssl -nameopt RFC2253</c> print it). SSH: the key ID.</summary>
    public required string Subject { get; init; }

    /// <summary>X.509: the subject alternative names (DNS names, IP addresses, e-mail addresses, URIs,
    /// directory names), values only. SSH: the valid principals.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>X.509: the issuer DN. SSH: null.</summary>
    public string? Issuer { get; init; }

    /// <summary>Start of validity (X.509 <c>notBefore</c>, SSH <c>valid after</c>).</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>End of validity (X.509 <c>notAfter</c>, SSH <c>valid before</c>; <see cref="DateTimeOffset.MaxValue"/> for "forever").</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>SSH: <c>user</c> or <c>host</c>. X.509: null.</summary>
    public string? SshCertificateType { get; init; }

    /// <summary>
    /// The issuing provisioner: from <c>x509_certs_data</c>, else (certificates renewed by step-ca 0.19
    /// have no such row) from the certificate's provisioner extension, in which case
    /// <see cref="ProvisionerReference.Id"/> is empty. Null for SSH certificates, which step-ca stores
    /// without metadata.
    /// </summary>
    public ProvisionerReference? Provisioner { get; init; }

    /// <summary>True when a revocation row exists for the serial.</summary>
    public bool Revoked { get; init; }

    /// <summary>The revocation row decoded; null when not revoked or when the row is unreadable.</summary>
    public RevocationRecord? Revocation { get; init; }

    /// <summary>
    /// X.509: lower-case hex SHA-256 of the DER (<c>step certificate fingerprint</c>). SSH: the
    /// certified public key's <c>SHA256:</c> fingerprint as <c>ssh-keygen -l</c> prints it.
    /// </summary>
    public required string Fingerprint { get; init; }

    /// <summary>The stored bytes: DER for X.509, the OpenSSH wire blob for SSH.</summary>
    public required ReadOnlyMemory<byte> Encoded { get; init; }
}
