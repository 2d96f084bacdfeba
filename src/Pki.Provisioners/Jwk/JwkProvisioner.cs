using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Stages;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Jwk;

/// <summary>
/// The JWK provisioner (authority/provisioner/jwk.go): one-time tokens signed by a JSON Web Key,
/// <c>iss</c> = provisioner name, <c>kid</c> = key id, audience per operation, one-minute leeway.
/// Immutable and thread-safe.
/// </summary>
public sealed class JwkProvisioner : Provisioner, IEncryptedKeyHolder
{
    private readonly JsonWebKey _key;
    private readonly TimeProvider _time;

    /// <summary>Creates the provisioner from its ca.json entry and its public key.</summary>
    /// <exception cref="CaConfigException">The entry's certificate template cannot be read or parsed.</exception>
    public JwkProvisioner(ProvisionerConfig config, JsonWebKey key, string? encryptedKey, ProvisionerBuildContext context)
        : base(config, context, key.KeyId ?? key.Thumbprint())
    {
        if (key.HasPrivateKey)
        {
            throw new ArgumentException("a JWK provisioner key must be public", nameof(key));
        }
        _key = key;
        _time = context.Time;
        KeyId = ExtensionInfo.CredentialId;
        EncryptedKey = encryptedKey;
        Id = $"{config.Name}:{KeyId}";
    }

    /// <inheritdoc />
    public override string Id { get; }

    /// <inheritdoc />
    public string KeyId { get; }

    /// <inheritdoc />
    public string? EncryptedKey { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<string> ListingOrder { get; } = ["key", "encryptedKey", "claims", "options"];

    /// <inheritdoc />
    public override ValueTask<SignAuthorization> AuthorizeSignAsync(TokenContext token, CancellationToken cancellationToken = default)
    {
        var claims = Verify(token);
        // jwk.go: older clients put only the subject in the CSR, so no sans means [sub].
        var sans = claims.Sans is { Count: > 0 } list ? list : [claims.Subject!];
        var split = SubjectAlternativeNames.Split(sans);
        var authorization = CreateSignAuthorization(new TemplateInput(DistinguishedName.FromCommonName(claims.Subject!), split, JwkTokenValue.Of(claims)), ReplayKeyOf(claims, token.Token.Raw));
        authorization.CsrValidators.Add(new CommonNameValidator([claims.Subject!, .. sans]));
        authorization.CsrValidators.Add(PublicKeyValidator.Instance);
        authorization.CsrValidators.Add(new SansValidator(split));
        if (claims.ConfirmationFingerprint is { } fingerprint)
        {
            authorization.CsrValidators.Add(new CsrFingerprintValidator(fingerprint));
        }
        authorization.Modifiers.Add(new ProvisionerExtensionModifier(this));
        authorization.Modifiers.Add(new DefaultValidityModifier(Claims.DefaultTlsCertDuration));
        authorization.Validators.Add(new ValidityValidator(Claims.MinTlsCertDuration, Claims.MaxTlsCertDuration));
        return ValueTask.FromResult(authorization);
    }

    /// <inheritdoc />
    public override ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        RenewalPolicy.Authorize(Name, Claims, certificate, _time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(TokenContext token, CancellationToken cancellationToken = default)
    {
        var claims = Verify(token);
        return ValueTask.FromResult(new RevokeAuthorization(ReplayKeyOf(claims, token.Token.Raw), claims.Subject!));
    }

    // jwk.go authorizeToken: signature by the provisioner key, iss = name, times with a minute of
    // leeway, audience for the operation, non-empty subject.
    private TokenClaims Verify(TokenContext context)
    {
        TokenClaims claims;
        try
        {
            claims = SignedToken.Parse(context.Token.Raw).Verify(_key);
        }
        catch (Exception e) when (e is not PkiException)
        {
            throw PkiException.Unauthorized("jwk.authorizeToken; error parsing jwk claims", e);
        }
        if (claims.Issuer != Name)
        {
            throw PkiException.Unauthorized($"jwk.authorizeToken; invalid jwk claims: issuer {claims.Issuer} is not {Name}");
        }
        try
        {
            claims.ValidateTime(_time.GetUtcNow());
        }
        catch (Exception e) when (e is not PkiException)
        {
            throw PkiException.Unauthorized("jwk.authorizeToken; invalid jwk claims", e);
        }
        if (!context.Audiences.Matches(claims.Audience))
        {
            throw PkiException.Unauthorized($"jwk.authorizeToken; invalid jwk token audience claim (aud); got [{string.Join(' ', claims.Audience)}]");
        }
        if (string.IsNullOrEmpty(claims.Subject))
        {
            throw PkiException.Unauthorized("jwk.authorizeToken; jwk token subject cannot be empty");
        }
        return claims;
    }

    // authority.go UseToken: the jti, or the SHA-256 of the whole token when there is none.
    private static string ReplayKeyOf(TokenClaims claims, string raw) =>
        string.IsNullOrEmpty(claims.Id) ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))) : claims.Id;
}
