using Smallstep.Pki.Policy;

namespace Smallstep.Pki.Issuance.Pipeline;

/// <summary>
/// The fixed issuance stages, run in the same order for every kind of certificate (ARCHITECTURE.md
/// "The issuance pipeline"): the plan's recording steps are checked early (a replayed token is refused
/// before any signing work), the request is validated, the template rendered, the standard then the
/// plan's modifiers applied, the enforced limits then the plan's validators checked, the authority's
/// then the provisioner's name policy applied, and finally the certificate is linted, signed once
/// and recorded with the recording steps in one transaction. Kinds supply the stages' content.
/// Thread-safe when the kind is.
/// </summary>
/// <typeparam name="TInput">The whole request as received.</typeparam>
/// <typeparam name="TRequest">The part of it the plan's request validators see.</typeparam>
/// <typeparam name="TCertificate">The certificate description.</typeparam>
/// <typeparam name="TIssued">What the caller gets back.</typeparam>
internal abstract class IssuanceRunner<TInput, TRequest, TCertificate, TIssued>
{
    /// <summary>Runs every stage for <paramref name="input"/> under <paramref name="plan"/>.</summary>
    public async ValueTask<TIssued> RunAsync(IssuancePlan<TRequest, TCertificate> plan, TInput input, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await CheckRecordingAsync(plan, cancellationToken).ConfigureAwait(false);
        var request = RequestOf(input);
        foreach (var validator in RequestValidators(plan))
        {
            validator.Validate(request);
        }
        var context = ContextOf(input, now);
        var certificate = Render(plan, input, context);
        foreach (var modifier in Modifiers(plan))
        {
            certificate = modifier.Modify(certificate, context);
        }
        foreach (var validator in Validators(plan))
        {
            validator.Validate(certificate, context);
        }
        CheckNames(certificate, plan.NamePolicy);
        return await SignAndRecordAsync(plan, input, certificate, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The early read of the plan's recording steps' conditions.</summary>
    protected abstract ValueTask CheckRecordingAsync(IssuancePlan<TRequest, TCertificate> plan, CancellationToken cancellationToken);

    /// <summary>The part of the input the request validators check.</summary>
    protected abstract TRequest RequestOf(TInput input);

    /// <summary>The facts modifiers and validators use.</summary>
    protected abstract IssuanceContext ContextOf(TInput input, DateTimeOffset now);

    /// <summary>Stage 4: the certificate description the plan's template produces.</summary>
    protected abstract TCertificate Render(IssuancePlan<TRequest, TCertificate> plan, TInput input, IssuanceContext context);

    /// <summary>Stage 3: the checks no plan can skip (key strength minimums), then the plan's.</summary>
    protected abstract IEnumerable<IRequestValidator<TRequest>> RequestValidators(IssuancePlan<TRequest, TCertificate> plan);

    /// <summary>
    /// Stage 5a: the standard modifiers the plan did not opt out of (<see cref="StandardStages"/>) and
    /// the plan's, in the order the kind's step-ca code applies them.
    /// </summary>
    protected abstract IEnumerable<ICertificateModifier<TCertificate>> Modifiers(IssuancePlan<TRequest, TCertificate> plan);

    /// <summary>Stage 5b: the checks no plan can skip (the claims' duration limits, the issuer's validity), then the plan's.</summary>
    protected abstract IEnumerable<ICertificateValidator<TCertificate>> Validators(IssuancePlan<TRequest, TCertificate> plan);

    /// <summary>
    /// Stage 6: the names of the certificate against the authority's constraints and policy, then
    /// against the provisioner's <paramref name="provisionerPolicy"/> (when not null): all must allow.
    /// </summary>
    protected abstract void CheckNames(TCertificate certificate, INamePolicyEngine? provisionerPolicy);

    /// <summary>Stage 7: lint, sign once, record with the plan's recording steps in one transaction, return.</summary>
    protected abstract ValueTask<TIssued> SignAndRecordAsync(IssuancePlan<TRequest, TCertificate> plan, TInput input, TCertificate certificate, CancellationToken cancellationToken);
}
