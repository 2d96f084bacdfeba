using System.Security.Cryptography;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Issuance.Stages;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Embedding;

/// <summary>
/// docs/writing-a-provisioner.md's sample, against Core's public API alone: a type "Hmac" whose
/// tokens are HS256-signed with the entry's base64 <c>secret</c>, for names under its <c>domain</c>,
/// routed by the audience fragment <c>#hmac/NAME</c>. The authority adds the provisioner extension,
/// the default validity, the claims' limits, key minimums and the issuer bound.
/// </summary>
public sealed class HmacProvisioner(ProvisionerConfig entry, ProvisionerBuildContext context, byte[] secret, string domain) : Provisioner(entry, context)
{
    public static ProvisionerTypeRegistration Registration { get; } = new("Hmac", Create)
    {
        Listing = new ProvisionerListing(["domain", "claims"]),   // "secret" is never listed
    };

    private static HmacProvisioner Create(ProvisionerConfig entry, ProvisionerBuildContext context)
    {
        string Required(string member) => entry.Json.TryGetProperty(member, out var v) && v.GetString() is { Length: > 0 } s ? s
            : throw new CaConfigException("ca.json", [ConfigDiagnostic.Error($"{context.FieldPath}.{member}", "required")]);
        return new HmacProvisioner(entry, context, Convert.FromBase64String(Required("secret")), Required("domain"));
    }

    public override ValueTask<SignAuthorization> AuthorizeSignAsync(AuthorizationContext request, CancellationToken cancellationToken = default)
    {
        var token = request.RequireToken();
        if (token.Algorithm != "HS256" || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(secret, token.SigningInput), token.Signature))
        {
            throw PkiException.Unauthorized("invalid token signature");
        }
        var expiry = token.Claims.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds) ? seconds : 0;
        if (expiry < Time.GetUtcNow().ToUnixTimeSeconds() || !request.Audiences.WithFragment(Id).Matches(token.Audience))
        {
            throw PkiException.Unauthorized("token expired or for another audience");
        }
        if (token.Subject is not { } subject || !subject.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase))
        {
            throw PkiException.Forbidden($"{token.Subject} is not under {domain}");
        }
        var sans = SubjectAlternativeNames.Split([subject]);
        var tokenUse = new OneTimeTokenUse(token.ClaimString("jti") ?? throw PkiException.Unauthorized("token has no jti"), token.Raw);
        var plan = CreateSignAuthorization(new TemplateInput(DistinguishedName.FromCommonName(subject), sans), tokenUse);
        plan.RequestValidators.Add(new SansValidator(sans));
        return ValueTask.FromResult(plan);
    }
}
