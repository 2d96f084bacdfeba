using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Policy;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Ssh.Stages;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Issuance.Pipeline;

/// <summary>
/// The SSH kind of the issuance runner (authority/authorize.go <c>Authorize(SSHSignMethod)</c>,
/// authority/ssh.go <c>signSSH</c>): the request's options checked, the template rendered with the
/// request as <c>.Insecure.CR</c>, the request's validity, the plan's modifiers, the default
/// duration, the CA key for the type, the claims' limits and mandatory fields, both name policies,
/// then one signature (and the add-user certificate) and one transaction. Thread-safe.
/// </summary>
internal sealed class SshIssuanceRunner(SshAuthorityOptions options, ISshCertificateStore store, TimeProvider time, Action<SshCertificate, string> logSigned)
    : IssuanceRunner<SshSignRequest, SshSignOptions, SshCertificateDescription, SshSignResult>
{
    private static readonly IRequestValidator<SshSignOptions> WellFormedOptions = new SshOptionsWellFormedValidator();

    /// <inheritdoc />
    protected override ValueTask CheckRecordingAsync(IssuancePlan<SshSignOptions, SshCertificateDescription> plan, CancellationToken cancellationToken) =>
        plan.RecordingSteps.Count == 0 ? ValueTask.CompletedTask : store.CheckAsync(plan.RecordingSteps, cancellationToken);

    /// <inheritdoc />
    protected override SshSignOptions RequestOf(SshSignRequest input) => input.Options;

    /// <inheritdoc />
    protected override IssuanceContext ContextOf(SshSignRequest input, DateTimeOffset now) => new(now, options.Backdate);

    /// <inheritdoc />
    protected override SshCertificateDescription Render(IssuancePlan<SshSignOptions, SshCertificateDescription> plan, SshSignRequest input, IssuanceContext context)
    {
        // A renewal's or rekey's certificate is the presented one's copy (authority/ssh.go renewSSH,
        // rekeySSH), in the template's place; the stages after it are the same.
        if (plan is SshReissueAuthorization reissue)
        {
            return reissue.Describe(context);
        }
        var ssh = (SshSignAuthorization)plan;
        var requested = input.Options;
        // .Insecure.CR: what the client asked for, unverified.
        ssh.TemplateData.SetCertificateRequest(requested.Type ?? SshCertificateType.None, requested.KeyId, requested.Principals);
        var rendered = ssh.Template.Render(ssh.TemplateData, requested.TemplateData, time);
        // SignSSHOptions.ModifyValidity: the request's validAfter/validBefore over the template's.
        var validAfter = SshSignOptions.Resolve(requested.ValidAfter, context.Now) ?? rendered.ValidAfter;
        var validBefore = SshSignOptions.Resolve(requested.ValidBefore, context.Now) ?? rendered.ValidBefore;
        if (validAfter is { } after && validBefore is { } before && after > before)
        {
            throw PkiException.BadRequest("ssh certificate validAfter cannot be greater than validBefore");
        }
        return rendered with { ValidAfter = validAfter, ValidBefore = validBefore };
    }

    /// <inheritdoc />
    protected override IEnumerable<IRequestValidator<SshSignOptions>> RequestValidators(IssuancePlan<SshSignOptions, SshCertificateDescription> plan) =>
        plan.RequestValidators.Prepend(WellFormedOptions);

    /// <inheritdoc />
    protected override IEnumerable<ICertificateModifier<SshCertificateDescription>> Modifiers(IssuancePlan<SshSignOptions, SshCertificateDescription> plan)
    {
        // After the request's validity (applied with the template): the provisioner's (a token's
        // validity wins), then the defaults fill what is still unset.
        foreach (var modifier in plan.Modifiers)
        {
            yield return modifier;
        }
        if (plan.Runs(StandardStages.DefaultValidity))
        {
            yield return new SshDefaultDurationModifier(plan.Provisioner.Claims);
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<ICertificateValidator<SshCertificateDescription>> Validators(IssuancePlan<SshSignOptions, SshCertificateDescription> plan) =>
        plan.Validators
            .Prepend(SshRequiredFieldsValidator.Instance)
            .Prepend(new SshValidityValidator(plan.Provisioner.Claims))
            .Prepend(new SshSignerAvailableValidator(this));

    /// <inheritdoc />
    protected override void CheckNames(SshCertificateDescription certificate, INamePolicyEngine? provisionerPolicy)
    {
        Check(options.NamePolicy, certificate);
        Check(provisionerPolicy, certificate);
    }

    /// <inheritdoc />
    protected override async ValueTask<SshSignResult> SignAndRecordAsync(IssuancePlan<SshSignOptions, SshCertificateDescription> plan, SshSignRequest input,
        SshCertificateDescription certificate, CancellationToken cancellationToken)
    {
        var signed = await SshCertificateSigner.SignAsync(certificate, input.PublicKey, SignerFor(certificate.Type), cancellationToken).ConfigureAwait(false);
        SshCertificate? addUser = null;
        if (input.AddUserPublicKey is { } addUserKey && SshAddUserCertificate.IsValidFor(signed.Description))
        {
            var description = SshAddUserCertificate.Describe(signed.Description, options.AddUserPrincipal, options.AddUserCommand);
            addUser = await SshCertificateSigner.SignAsync(description, addUserKey, SignerFor(SshCertificateType.User), cancellationToken).ConfigureAwait(false);
        }
        await store.RecordAsync(addUser is null ? [signed] : [signed, addUser], plan.RecordingSteps, cancellationToken).ConfigureAwait(false);
        logSigned(signed, plan.Provisioner.Name);
        return new SshSignResult(signed, addUser);
    }

    /// <summary>The CA key that signs certificates of <paramref name="type"/>.</summary>
    /// <exception cref="PkiException">NotImplemented: no key for that type is configured.</exception>
    public ICertificateSigner SignerFor(SshCertificateType type) => type switch
    {
        SshCertificateType.User => options.UserSigner ?? throw PkiException.NotImplemented("authority.SignSSH: user certificate signing is not enabled"),
        SshCertificateType.Host => options.HostSigner ?? throw PkiException.NotImplemented("authority.SignSSH: host certificate signing is not enabled"),
        _ => throw PkiException.Internal($"authority.SignSSH: unexpected ssh certificate type: {(int)type}"),
    };

    private static void Check(INamePolicyEngine? policy, SshCertificateDescription certificate)
    {
        if (policy is null)
        {
            return;
        }
        if (certificate.Type == SshCertificateType.Host)
        {
            policy.CheckSshHost(certificate.Principals);
        }
        else
        {
            policy.CheckSshUser(certificate.Principals);
        }
    }

    // SignSSHOptions.Validate: a known type and no empty principal.
    private sealed class SshOptionsWellFormedValidator : IRequestValidator<SshSignOptions>
    {
        public void Validate(SshSignOptions request) => request.Validate();
    }

    // authority/ssh.go signSSH: a certificate type without a CA key is a 501 before anything is checked further.
    private sealed class SshSignerAvailableValidator(SshIssuanceRunner runner) : ICertificateValidator<SshCertificateDescription>
    {
        public void Validate(SshCertificateDescription certificate, IssuanceContext context) => runner.SignerFor(certificate.Type);
    }
}
