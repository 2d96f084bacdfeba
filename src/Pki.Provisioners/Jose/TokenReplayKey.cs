using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Issuance.Recording;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// The replay key of a verified token (authority/authorize.go <c>UseToken</c>): its <c>jti</c>, or
/// the lower-case hex SHA-256 of the whole token when it has none (JWK, X5C, SSHPOP, Nebula).
/// </summary>
internal static class TokenReplayKey
{
    /// <summary>The key for <paramref name="claims"/> of the token <paramref name="raw"/>.</summary>
    public static string Of(TokenClaims claims, string raw) =>
        string.IsNullOrEmpty(claims.Id) ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))) : claims.Id;

    /// <summary>The recording step that burns the token with the certificate it authorizes.</summary>
    public static OneTimeTokenUse Use(TokenClaims claims, string raw) => new(Of(claims, raw), raw);
}
