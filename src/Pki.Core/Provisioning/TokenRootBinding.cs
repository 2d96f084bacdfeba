using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The <c>sha</c> claim binds a token to one CA: the step CLI writes the hex SHA-256 of the root
/// it bootstrapped with (smallstep/cli-utils <c>token.WithRootCA</c>). step-ca ignores the claim;
/// we refuse a token that carries it unless it names one of this CA's roots (hex, either case), so
/// a token minted for another CA sharing a provisioner key cannot be spent here. A token without
/// <c>sha</c> is unaffected. Stateless and thread-safe.
/// </summary>
public static class TokenRootBinding
{
    /// <summary>Refuses (401) claims whose <c>sha</c> is present and names none of <paramref name="roots"/>.</summary>
    /// <param name="claims">The token claims (verified or not: this check only ever refuses).</param>
    /// <param name="roots">The CA's configured roots (not federated roots: those are other CAs).</param>
    /// <exception cref="PkiException">Unauthorized when the token is bound to another CA.</exception>
    public static void Require(JsonElement claims, IReadOnlyList<X509Certificate2> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (claims.ValueKind != JsonValueKind.Object || !claims.TryGetProperty("sha", out var sha) || sha.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (sha.ValueKind != JsonValueKind.String)
        {
            throw NotAString();
        }
        Require(sha.GetString()!, roots);
    }

    /// <summary>Refuses (401) a <c>sha</c> value that names none of <paramref name="roots"/>.</summary>
    /// <param name="named">The claim's value.</param>
    /// <param name="roots">The CA's configured roots.</param>
    /// <exception cref="PkiException">Unauthorized when the token is bound to another CA.</exception>
    public static void Require(string named, IReadOnlyList<X509Certificate2> roots)
    {
        ArgumentNullException.ThrowIfNull(named);
        ArgumentNullException.ThrowIfNull(roots);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        foreach (var root in roots)
        {
            SHA256.HashData(root.RawData, digest);
            Convert.TryToHexStringLower(digest, hex, out _);
            if (named.AsSpan().Equals(hex, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }
        throw PkiException.Unauthorized($"invalid token claims: 'sha' {Truncate(named)} is not the fingerprint of a root of this CA; the token is bound to another CA");
    }

    /// <summary>The refusal of a <c>sha</c> claim that is not a JSON string.</summary>
    private static PkiException NotAString() => PkiException.Unauthorized("invalid token claims: 'sha' must be a string");

    // The value is attacker-chosen and goes to the log: bounded.
    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
