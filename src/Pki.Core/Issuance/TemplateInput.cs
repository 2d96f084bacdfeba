namespace Smallstep.Pki.Issuance;

/// <summary>
/// What a provisioner vouches for, as the template sees it (<c>.Subject</c>, <c>.SANs</c>,
/// <c>.Token</c>, <c>.Insecure.User</c>).
/// </summary>
/// <param name="Subject">The subject the provisioner sets (JWK: CN = token <c>sub</c>).</param>
/// <param name="Sans">The SANs the provisioner allows (JWK: token <c>sans</c>).</param>
/// <param name="Token">
/// <c>.Token</c>: the verified token in the template data model, shaped as the provisioner type's
/// Go payload struct in step-ca (e.g. a <see cref="Templates.TemplateStruct"/> with <c>Subject</c>,
/// <c>SANs</c>), or null.
/// </param>
public sealed record TemplateInput(DistinguishedName Subject, SubjectAlternativeNames Sans, object? Token = null)
{
    /// <summary>
    /// <c>.AuthorizationCrt</c>: the certificate that authorized the request (the X5C token's leaf,
    /// x509util <c>SetAuthorizationCertificate</c>) in the template data model, or null.
    /// </summary>
    public object? AuthorizationCertificate { get; init; }
}

