using System.Text.Json;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Authority;

/// <summary>Reads NumericDate claims (RFC 7519 §2) from a token's claims.</summary>
internal static class TokenTimes
{
    /// <summary>The <c>iat</c> claim in whole seconds, or null when absent or not a number.</summary>
    public static long? IssuedAt(UnverifiedToken token) =>
        token.Claims.TryGetProperty("iat", out var iat) && iat.ValueKind == JsonValueKind.Number && iat.TryGetDouble(out var seconds)
            ? (long)Math.Floor(seconds)
            : null;
}
