using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// The claims of a step one-time token: the RFC 7519 registered claims plus step's <c>sans</c>,
/// <c>sha</c>, <c>step</c> and <c>cnf</c> (authority/provisioner/jwk.go <c>jwtPayload</c>). Types are
/// checked as Go's encoding/json would: a claim of the wrong JSON type makes the token invalid;
/// JSON null counts as absent. Every claim stays available through <see cref="Raw"/> (templates).
/// </summary>
public sealed class TokenClaims
{
    /// <summary>The clock skew step-ca allows on <c>nbf</c>, <c>exp</c> and <c>iat</c> (one minute,
    /// authority/provisioner/jwk.go <c>ValidateWithLeeway(..., time.Minute)</c>).</summary>
    public static readonly TimeSpan DefaultLeeway = TimeSpan.FromMinutes(1);

    private TokenClaims(JsonElement raw, string rawJson)
    {
        Raw = raw;
        RawJson = rawJson;
    }

    /// <summary>The issuer (<c>iss</c>); for JWK tokens the provisioner name. Null when absent.</summary>
    public string? Issuer { get; private init; }

    /// <summary>The subject (<c>sub</c>). Null when absent.</summary>
    public string? Subject { get; private init; }

    /// <summary>The audiences (<c>aud</c>, a string or an array of strings); empty when absent.</summary>
    public IReadOnlyList<string> Audience { get; private init; } = [];

    /// <summary>The expiry (<c>exp</c>), truncated to the second as go-jose does; null when absent.</summary>
    public DateTimeOffset? Expiry { get; private init; }

    /// <summary>The start of validity (<c>nbf</c>), truncated to the second; null when absent.</summary>
    public DateTimeOffset? NotBefore { get; private init; }

    /// <summary>The issue time (<c>iat</c>), truncated to the second; null when absent.</summary>
    public DateTimeOffset? IssuedAt { get; private init; }

    /// <summary>The token ID (<c>jti</c>), the replay-protection key of JWK tokens; null when absent.</summary>
    public string? Id { get; private init; }

    /// <summary>The requested subject alternative names (<c>sans</c>); null when absent.</summary>
    public IReadOnlyList<string>? Sans { get; private init; }

    /// <summary>The root fingerprint (<c>sha</c>) clients put in tokens, checked by <see cref="TokenRootBinding"/>. Null when absent or not a string.</summary>
    public string? Sha { get; private init; }

    /// <summary>The <c>step</c> object (members <c>ssh</c> and <c>ra</c>); null when absent.</summary>
    public JsonElement? Step { get; private init; }

    /// <summary><c>step.ssh</c>: the SSH certificate options an SSH sign token carries; null when absent.</summary>
    public JsonElement? StepSsh => Member(Step, "ssh");

    /// <summary><c>step.ra</c>: registration-authority information; null when absent.</summary>
    public JsonElement? StepRa => Member(Step, "ra");

    /// <summary>The confirmation fingerprint <c>cnf["x5rt#S256"]</c>: base64url SHA-256 of the CSR DER; null when absent.</summary>
    public string? ConfirmationFingerprint { get; private init; }

    /// <summary>All claims as a JSON object.</summary>
    public JsonElement Raw { get; }

    /// <summary>All claims as the JSON text of the token payload.</summary>
    public string RawJson { get; }

    /// <summary>
    /// Checks the time claims as go-jose v3 <c>Claims.ValidateWithLeeway</c> does — rejects when
    /// <c>now + leeway &lt; nbf</c>, <c>now − leeway &gt; exp</c>, or <c>now + leeway &lt; iat</c> — and,
    /// stricter than step-ca (which accepts a token without <c>exp</c> that then never expires),
    /// requires <c>exp</c>. <c>nbf</c> and <c>iat</c> stay optional.
    /// </summary>
    /// <param name="now">The verification time.</param>
    /// <param name="leeway">Allowed clock skew; step-ca uses <see cref="DefaultLeeway"/>.</param>
    /// <exception cref="PkiException">Unauthorized when a check fails.</exception>
    public void ValidateTime(DateTimeOffset now, TimeSpan leeway)
    {
        if (NotBefore is { } nbf && now + leeway < nbf)
        {
            throw PkiException.Unauthorized("invalid token claims: token not valid yet (nbf)");
        }
        if (Expiry is not { } exp)
        {
            throw PkiException.Unauthorized("invalid token claims: the token has no expiry (exp)");
        }
        if (now - leeway > exp)
        {
            throw PkiException.Unauthorized("invalid token claims: token is expired (exp)");
        }
        if (IssuedAt is { } iat && now + leeway < iat)
        {
            throw PkiException.Unauthorized("invalid token claims: token issued in the future (iat)");
        }
    }

    /// <summary>Checks the time claims with step-ca's one-minute leeway (see <see cref="ValidateTime(DateTimeOffset, TimeSpan)"/>).</summary>
    /// <exception cref="PkiException">Unauthorized when a check fails.</exception>
    public void ValidateTime(DateTimeOffset now) => ValidateTime(now, DefaultLeeway);

    /// <summary>Reads the claims object of a token payload.</summary>
    internal static TokenClaims Read(JsonElement claims, string rawJson)
    {
        if (!JoseJson.TryGetString(claims, "iss", out var iss)
            || !JoseJson.TryGetString(claims, "sub", out var sub)
            || !JoseJson.TryGetString(claims, "jti", out var jti)
            || !JoseJson.TryGetStringArray(claims, "sans", out var sans))
        {
            throw Invalid("a claim has the wrong type");
        }
        return new TokenClaims(claims, rawJson)
        {
            Issuer = iss,
            Subject = sub,
            Id = jti,
            // step-ca never reads 'sha' (it is not in jwtPayload), so its type cannot invalidate a token.
            Sha = JoseJson.TryGetString(claims, "sha", out var sha) ? sha : null,
            Sans = sans,
            Audience = ReadAudience(claims),
            Expiry = ReadNumericDate(claims, "exp"),
            NotBefore = ReadNumericDate(claims, "nbf"),
            IssuedAt = ReadNumericDate(claims, "iat"),
            Step = ReadObject(claims, "step"),
            ConfirmationFingerprint = ReadConfirmation(claims),
        };
    }

    // go-jose jwt.Audience: a single string becomes a one-element list.
    private static IReadOnlyList<string> ReadAudience(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out var aud) || aud.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (aud.ValueKind == JsonValueKind.String)
        {
            return [aud.GetString()!];
        }
        return JoseJson.TryReadStringArray(aud, out var list) ? list! : throw Invalid("'aud' must be a string or an array of strings");
    }

    // RFC 7519 §2 NumericDate; go-jose parses it as a float and truncates to whole seconds.
    private static DateTimeOffset? ReadNumericDate(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || !double.IsFinite(seconds))
        {
            throw Invalid($"'{name}' must be a number");
        }
        var whole = Math.Truncate(seconds);
        if (whole < DateTimeOffset.MinValue.ToUnixTimeSeconds() || whole > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw Invalid($"'{name}' is out of range");
        }
        return DateTimeOffset.FromUnixTimeSeconds((long)whole);
    }

    private static JsonElement? ReadObject(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Object ? value : throw Invalid($"'{name}' must be an object");
    }

    private static string? ReadConfirmation(JsonElement claims) =>
        ReadObject(claims, "cnf") is { } cnf
            ? JoseJson.TryGetString(cnf, "x5rt#S256", out var fingerprint) ? fingerprint : throw Invalid("'cnf' member 'x5rt#S256' must be a string")
            : null;

    private static JsonElement? Member(JsonElement? obj, string name) =>
        obj is { } o && o.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static PkiException Invalid(string reason) => PkiException.Unauthorized("invalid token claims: " + reason);
}
