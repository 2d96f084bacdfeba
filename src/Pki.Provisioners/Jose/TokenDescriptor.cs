using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// What a one-time token says, for <see cref="TokenSigner"/>. Defaults follow the step CLI
/// (smallstep/cli-utils <c>token/token.go</c>): valid from now for five minutes, a random
/// <c>jti</c>. Optional claims are omitted when null.
/// </summary>
public sealed record TokenDescriptor
{
    /// <summary>The step CLI's default token lifetime (five minutes).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary><c>iss</c>: for JWK tokens the provisioner name.</summary>
    public required string Issuer { get; init; }

    /// <summary><c>sub</c>: the certificate subject (CN), the serial to revoke, or the SSH key ID.</summary>
    public required string Subject { get; init; }

    /// <summary><c>aud</c>: written as a single string when there is exactly one audience (as the CLI
    /// forces), as an array otherwise, omitted when empty.</summary>
    public required IReadOnlyList<string> Audience { get; init; }

    /// <summary><c>nbf</c>; default: now (the signer's clock). <c>iat</c> is always now.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary><c>exp</c>; default: <c>nbf</c> + <see cref="Lifetime"/>.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>The lifetime used when <see cref="NotAfter"/> is not set.</summary>
    public TimeSpan Lifetime { get; init; } = DefaultLifetime;

    /// <summary><c>jti</c>; default: <see cref="TokenSigner.NewTokenId"/>.</summary>
    public string? TokenId { get; init; }

    /// <summary><c>sans</c>: requested subject alternative names.</summary>
    public IReadOnlyList<string>? Sans { get; init; }

    /// <summary><c>sha</c>: hex SHA-256 fingerprint of the root certificate.</summary>
    public string? Sha { get; init; }

    /// <summary><c>step</c>: for SSH tokens <c>{"ssh":{"certType","keyID","principals","validAfter","validBefore"}}</c>.</summary>
    public JsonElement? Step { get; init; }

    /// <summary><c>cnf["x5rt#S256"]</c>: base64url SHA-256 of the CSR DER the token is bound to.</summary>
    public string? ConfirmationFingerprint { get; init; }

    /// <summary>Any other claims; a name that is also a claim above is an error.</summary>
    public IReadOnlyDictionary<string, JsonElement>? ExtraClaims { get; init; }
}
