using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Policy;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// What a provisioner decided when it allowed a request: one typed list per pipeline stage
/// (step-ca's sign options without the <c>interface{}</c> bag) and the recording steps to commit
/// with the certificate. X.509 and SSH plans derive from this, and the authority runs both through
/// the same runner: request validators, template, standard and plan modifiers, enforced limits and
/// plan validators, the authority's then the provisioner's name policy, lint, one signature, then
/// one transaction holding the certificate record and every recording step.
/// </summary>
/// <typeparam name="TRequest">What the client asked for (a CSR, SSH options).</typeparam>
/// <typeparam name="TCertificate">The certificate description the template produces.</typeparam>
public abstract class IssuancePlan<TRequest, TCertificate>
{
    /// <summary>Starts a plan for <paramref name="provisioner"/>.</summary>
    /// <param name="provisioner">The provisioner that allowed the request; its claims bound the validity.</param>
    protected IssuancePlan(IProvisioner provisioner)
    {
        Provisioner = provisioner ?? throw new ArgumentNullException(nameof(provisioner));
    }

    /// <summary>The provisioner that allowed the request.</summary>
    public IProvisioner Provisioner { get; }

    /// <summary>
    /// What must be recorded atomically with the certificate (a token's <c>jti</c> burned, an ACME
    /// order marked valid, a SCEP transaction): all commit with the certificate record, or nothing does.
    /// </summary>
    public List<IRecordingStep> RecordingSteps { get; } = [];

    /// <summary>The provisioner's own name policy, checked after the authority's; null when it has none.</summary>
    public INamePolicyEngine? NamePolicy { get; init; }

    /// <summary>Standard stages this plan does without (none by default).</summary>
    public StandardStages OptOut { get; set; }

    /// <summary>Stage 3: checks of the request.</summary>
    public List<IRequestValidator<TRequest>> RequestValidators { get; } = [];

    /// <summary>Stage 5a: changes to the rendered certificate, after the standard modifiers.</summary>
    public List<ICertificateModifier<TCertificate>> Modifiers { get; } = [];

    /// <summary>Stage 5b: checks of the final certificate, after the enforced limits.</summary>
    public List<ICertificateValidator<TCertificate>> Validators { get; } = [];

    /// <summary>True unless the plan opted out of <paramref name="stage"/>.</summary>
    public bool Runs(StandardStages stage) => (OptOut & stage) == 0;
}

/// <summary>Per-request facts the modifiers and validators use.</summary>
/// <param name="Now">The request time from the injected clock.</param>
/// <param name="Backdate">The authority backdate (<c>authority.backdate</c>, default 1 minute).</param>
/// <param name="RequestedNotBefore">Requested notBefore of an X.509 request, if any.</param>
/// <param name="RequestedNotAfter">Requested notAfter of an X.509 request, if any.</param>
public sealed record IssuanceContext(DateTimeOffset Now, TimeSpan Backdate, Time.TimeDuration RequestedNotBefore = default, Time.TimeDuration RequestedNotAfter = default);
