using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Stages;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Embedding;

/// <summary>
/// docs/writing-a-provisioner.md's sample: a third-party provisioner type "Domain" that accepts
/// tokens signed by its key (ca.json <c>key</c>) for names under its <c>domain</c> only, routed by
/// the audience fragment <c>#domain/NAME</c>. Sign only: renew and revoke stay denied by the base.
/// </summary>
public sealed class DomainProvisioner : Provisioner
{
    private readonly JsonWebKey _key;
    private readonly string _domain;
    private readonly TimeProvider _time;

    public DomainProvisioner(ProvisionerConfig config, ProvisionerBuildContext context)
        : base(config, context)
    {
        _key = JsonWebKey.Parse(config.Json.GetProperty("key"));
        _domain = config.Json.GetProperty("domain").GetString()!;
        _time = context.Time;
    }

    protected override IReadOnlyList<string> ListingOrder { get; } = ["key", "domain", "claims"];

    public override ValueTask<SignAuthorization> AuthorizeSignAsync(TokenContext token, CancellationToken cancellationToken = default)
    {
        var claims = SignedToken.Parse(token.Token.Raw).Verify(_key);   // throws 401 when the signature is wrong
        claims.ValidateTime(_time.GetUtcNow());
        if (!token.Audiences.WithFragment(Id).Matches(claims.Audience))
        {
            throw PkiException.Unauthorized("wrong audience");
        }
        if (claims.Subject is not { } subject || !subject.EndsWith("." + _domain, StringComparison.OrdinalIgnoreCase))
        {
            throw PkiException.Forbidden($"{claims.Subject} is not under {_domain}");
        }
        var sans = SubjectAlternativeNames.Split([subject]);
        var plan = CreateSignAuthorization(new TemplateInput(DistinguishedName.FromCommonName(subject), sans), replayKey: claims.Id);
        plan.CsrValidators.Add(new SansValidator(sans));
        plan.CsrValidators.Add(PublicKeyValidator.Instance);
        plan.Modifiers.Add(new ProvisionerExtensionModifier(this));
        plan.Modifiers.Add(new DefaultValidityModifier(Claims.DefaultTlsCertDuration));
        plan.Validators.Add(new ValidityValidator(Claims.MinTlsCertDuration, Claims.MaxTlsCertDuration));
        return ValueTask.FromResult(plan);
    }
}

/// <summary>Builds <see cref="DomainProvisioner"/>s from ca.json entries of type "Domain".</summary>
public sealed class DomainProvisionerFactory : IProvisionerFactory
{
    public string Type => "Domain";

    public IProvisioner Create(ProvisionerConfig config, ProvisionerBuildContext context)
    {
        if (!config.Json.TryGetProperty("domain", out var domain) || domain.ValueKind != JsonValueKind.String)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(context.FieldPath + ".domain", "required")]);
        }
        return new DomainProvisioner(config, context);
    }
}
