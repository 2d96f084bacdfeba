using System.Globalization;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Issuance.Stages;
using Smallstep.Pki.Policy;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Issuance.Pipeline;

/// <summary>
/// The X.509 kind of the issuance runner (authority/tls.go <c>Sign</c>'s roles): step's default leaf
/// or the provisioner's template, <c>authority.template</c> subject defaults, the provisioner
/// extension and default validity, the claims' limits and the issuer's notAfter, the CA name
/// constraints and both name policies, then one signature and one transaction. Thread-safe.
/// </summary>
internal sealed class X509IssuanceRunner(CertificateAuthorityOptions options, ICertificateStore store, TimeProvider time, Action<string, string, DateTimeOffset> logIssued)
    : IssuanceRunner<SignRequest, CertificationRequest, X509CertificateDescription, IssuedCertificate>
{
    private readonly DefaultSubjectModifier? _defaultSubject = options.SubjectDefaults is { IsEmpty: false } defaults ? new DefaultSubjectModifier(defaults) : null;
    /// <summary>The bound every X.509 issuance, renewals included, is held to: the issuing certificate's notAfter.</summary>
    public IssuerValidityValidator IssuerValidity { get; } = new(options.Issuer.Chain[0].NotAfter.ToUniversalTime());

    /// <inheritdoc />
    protected override ValueTask CheckRecordingAsync(IssuancePlan<CertificationRequest, X509CertificateDescription> plan, CancellationToken cancellationToken) =>
        plan.RecordingSteps.Count == 0 ? ValueTask.CompletedTask : store.CheckAsync(plan.RecordingSteps, cancellationToken);

    /// <inheritdoc />
    protected override CertificationRequest RequestOf(SignRequest input) => input.Csr;

    /// <inheritdoc />
    protected override IssuanceContext ContextOf(SignRequest input, DateTimeOffset now) => new(now, options.Backdate, input.NotBefore, input.NotAfter);

    /// <inheritdoc />
    protected override X509CertificateDescription Render(IssuancePlan<CertificationRequest, X509CertificateDescription> plan, SignRequest input, IssuanceContext context)
    {
        var sign = (SignAuthorization)plan;
        // The provisioner's template, else step's default leaf (built directly: same result, no rendering cost).
        return sign.CertificateTemplate is { } template
            ? template.Render(sign.Template, input.Csr, input.TemplateData, time)
            : DefaultLeafTemplate.Render(sign.Template, input.Csr);
    }

    /// <inheritdoc />
    protected override IEnumerable<IRequestValidator<CertificationRequest>> RequestValidators(IssuancePlan<CertificationRequest, X509CertificateDescription> plan) =>
        plan.RequestValidators.Prepend(PublicKeyValidator.Instance);

    /// <inheritdoc />
    protected override IEnumerable<ICertificateModifier<X509CertificateDescription>> Modifiers(IssuancePlan<CertificationRequest, X509CertificateDescription> plan)
    {
        if (_defaultSubject is not null)
        {
            yield return _defaultSubject;
        }
        if (plan.Runs(StandardStages.ProvisionerExtension))
        {
            yield return new ProvisionerExtensionModifier(plan.Provisioner);
        }
        if (plan.Runs(StandardStages.DefaultValidity))
        {
            yield return new DefaultValidityModifier(plan.Provisioner.Claims.DefaultTlsCertDuration);
        }
        foreach (var modifier in plan.Modifiers)
        {
            yield return modifier;
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<ICertificateValidator<X509CertificateDescription>> Validators(IssuancePlan<CertificationRequest, X509CertificateDescription> plan) =>
        plan.Validators.Prepend(IssuerValidity).Prepend(new ValidityValidator(plan.Provisioner.Claims.MinTlsCertDuration, plan.Provisioner.Claims.MaxTlsCertDuration));

    /// <inheritdoc />
    protected override void CheckNames(X509CertificateDescription certificate, INamePolicyEngine? provisionerPolicy)
    {
        // authority/tls.go isAllowedToSignX509Certificate: the CA certificates' name constraints,
        // then the authority's and the provisioner's policies.
        options.NameConstraints?.Check(certificate);
        options.NamePolicy?.CheckX509(certificate);
        provisionerPolicy?.CheckX509(certificate);
    }

    /// <inheritdoc />
    protected override ValueTask<IssuedCertificate> SignAndRecordAsync(IssuancePlan<CertificationRequest, X509CertificateDescription> plan, SignRequest input,
        X509CertificateDescription certificate, CancellationToken cancellationToken)
    {
        var provisioner = plan.Provisioner;
        var metadata = new CertificateMetadata(new ProvisionerReference(provisioner.Id, provisioner.Name, provisioner.Type));
        return IssueAndRecordAsync(certificate, metadata, plan.RecordingSteps, cancellationToken);
    }

    /// <summary>
    /// Prepares, lints and signs once, then records the certificate with <paramref name="steps"/> in
    /// one transaction, so a certificate is returned only once it and everything its authorization
    /// must record are durable. Renewals use this too.
    /// </summary>
    public async ValueTask<IssuedCertificate> IssueAndRecordAsync(X509CertificateDescription certificate, CertificateMetadata? metadata,
        IReadOnlyList<Recording.IRecordingStep> steps, CancellationToken cancellationToken)
    {
        var (der, serial) = await options.Issuer.IssueAsync(certificate, cancellationToken).ConfigureAwait(false);
        var serialText = serial.ToString(CultureInfo.InvariantCulture);
        await store.RecordAsync(new StoredCertificate(serialText, der, metadata), steps, cancellationToken).ConfigureAwait(false);
        logIssued(serialText, metadata?.Provisioner?.Name ?? "", certificate.NotAfter);
        return new IssuedCertificate(der, options.Issuer.ChainDer);
    }
}
