using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// The claim checks every step token provisioner makes after verifying the signature, in step-ca's
/// order (authority/provisioner/jwk.go and x5c.go <c>authorizeToken</c>): <c>iss</c> = the
/// provisioner name, the times with a minute of leeway, an accepted audience, a non-empty subject
/// (the replay key is <see cref="TokenReplayKey"/>). Stateless and thread-safe.
/// </summary>
internal static class StepTokenRules
{
    /// <summary>Throws a 401 naming <paramref name="scope"/> (<c>jwk</c>, <c>x5c</c>) when a claim check fails.</summary>
    /// <param name="claims">The verified claims.</param>
    /// <param name="issuer">The provisioner name.</param>
    /// <param name="audiences">The operation's audiences (with the provisioner's fragment for fragment-routed types).</param>
    /// <param name="now">The verification time.</param>
    /// <param name="scope">The type prefix step-ca's messages carry.</param>
    public static void Require(TokenClaims claims, string issuer, AudienceSet audiences, DateTimeOffset now, string scope)
    {
        if (claims.Issuer != issuer)
        {
            throw PkiException.Unauthorized($"{scope}.authorizeToken; invalid {scope} claims: issuer {claims.Issuer} is not {issuer}");
        }
        claims.ValidateTime(now);
        if (!audiences.Matches(claims.Audience))
        {
            throw PkiException.Unauthorized($"{scope}.authorizeToken; invalid {scope} token audience claim (aud); got [{string.Join(' ', claims.Audience)}]");
        }
        if (string.IsNullOrEmpty(claims.Subject))
        {
            throw PkiException.Unauthorized($"{scope}.authorizeToken; {scope} token subject cannot be empty");
        }
    }
}
