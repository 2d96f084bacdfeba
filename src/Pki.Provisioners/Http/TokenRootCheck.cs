using Smallstep.Pki.Authority;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The endpoint-level <c>sha</c> check (<see cref="TokenRootBinding"/>) for every operation that
/// takes a one-time token in its body (sign, revoke, SSH sign), run before the authority sees the
/// token so a refused token burns nothing. A token that does not parse is left to the authority,
/// which refuses it with its own reason.
/// </summary>
internal static class TokenRootCheck
{
    public static void Require(string token, TrustBundle trust)
    {
        UnverifiedToken parsed;
        try
        {
            parsed = UnverifiedToken.Parse(token);
        }
        catch (Errors.PkiException)
        {
            return;
        }
        TokenRootBinding.Require(parsed.Claims, trust.Roots);
    }
}
