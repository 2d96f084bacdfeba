namespace Smallstep.Pki.Issuance;

/// <summary>
/// Stage 3 of the pipeline: checks the request itself (the CSR of an X.509 request, the options of
/// an SSH request) against what the provisioner vouches for. Throws a 400/401/403
/// <see cref="Errors.PkiException"/> to refuse. Implementations are immutable and thread-safe.
/// </summary>
/// <typeparam name="TRequest"><see cref="CertificationRequest"/> or <see cref="Ssh.SshSignOptions"/>.</typeparam>
public interface IRequestValidator<in TRequest>
{
    /// <summary>Throws when the request is not acceptable.</summary>
    void Validate(TRequest request);
}

/// <summary>
/// Stage 5a: changes the rendered certificate description (validity, extensions) and returns it.
/// X.509 descriptions are mutable and may be changed in place and returned; SSH descriptions are
/// immutable records and are returned changed. Throws a 403 <see cref="Errors.PkiException"/> to refuse.
/// </summary>
/// <typeparam name="TCertificate"><see cref="X509CertificateDescription"/> or <see cref="Ssh.SshCertificateDescription"/>.</typeparam>
public interface ICertificateModifier<TCertificate>
{
    /// <summary>Returns the changed certificate.</summary>
    TCertificate Modify(TCertificate certificate, IssuanceContext context);
}

/// <summary>Stage 5b: validates the final certificate description; throws a 400/403 <see cref="Errors.PkiException"/> to refuse.</summary>
/// <typeparam name="TCertificate"><see cref="X509CertificateDescription"/> or <see cref="Ssh.SshCertificateDescription"/>.</typeparam>
public interface ICertificateValidator<in TCertificate>
{
    /// <summary>Throws when the certificate is not acceptable.</summary>
    void Validate(TCertificate certificate, IssuanceContext context);
}

/// <summary>
/// The standard stages the authority adds to every plan unless the plan opts out of them
/// (<see cref="IssuancePlan{TRequest, TCertificate}.OptOut"/>). What no provisioner may skip
/// (the claims' duration limits, key strength minimums, a leaf never outliving its issuer) is not
/// listed here: the authority always enforces it.
/// </summary>
[Flags]
public enum StandardStages
{
    /// <summary>Every standard stage runs.</summary>
    None = 0,

    /// <summary>The provisioner extension (OID 1.3.6.1.4.1.37476.9000.64.1) added last to X.509 certificates.</summary>
    ProvisionerExtension = 1,

    /// <summary>The validity filled from the request and the claims' default duration when the template left it unset.</summary>
    DefaultValidity = 2,
}
