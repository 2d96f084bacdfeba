using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Provisioners.Jwk;

/// <summary>
/// <c>.Token</c> for JWK templates: step-ca's <c>jwtPayload</c> (go-jose <c>Claims</c> embedded,
/// plus <c>SANs</c> and <c>Step</c>), so <c>{{ .Token.Subject }}</c> and <c>{{ toJson .Token }}</c>
/// behave as with step-ca.
/// </summary>
internal static class JwkTokenValue
{
    public static TemplateStruct Of(TokenClaims claims) => new("*provisioner.jwtPayload",
    [
        new("Issuer", claims.Issuer ?? "", "iss", OmitEmpty: true),
        new("Subject", claims.Subject ?? "", "sub", OmitEmpty: true),
        // go-jose Audience marshals one audience as a string.
        new("Audience", claims.Audience.Count == 1 ? claims.Audience[0] : claims.Audience.ToList<object?>(), "aud", OmitEmpty: true),
        new("Expiry", Seconds(claims.Expiry), "exp", OmitEmpty: true),
        new("NotBefore", Seconds(claims.NotBefore), "nbf", OmitEmpty: true),
        new("IssuedAt", Seconds(claims.IssuedAt), "iat", OmitEmpty: true),
        new("ID", claims.Id ?? "", "jti", OmitEmpty: true),
        new("SANs", claims.Sans?.ToList<object?>() ?? [], "sans", OmitEmpty: true),
        new("Step", claims.Step is { } step ? TemplateData.FromJson(step) : null, "step", OmitEmpty: true),
    ]);

    private static object? Seconds(DateTimeOffset? time) => time?.ToUnixTimeSeconds();
}
