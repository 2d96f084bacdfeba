using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Issuance.Stages;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Ssh.Stages;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Provisioners.Jwk;

/// <summary>
/// The JWK provisioner (authority/provisioner/jwk.go): one-time tokens signed by a JSON Web Key,
/// <c>iss</c> = provisioner name, <c>kid</c> = key id, audience per operation, one-minute leeway.
/// Immutable and thread-safe.
/// </summary>
public sealed class JwkProvisioner : Provisioner, IEncryptedKeyHolder, ISshSignProvisioner, ISshRevokeProvisioner
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

    /// <summary>Routed by the audience fragment of its id and, as step-ca's JWK tokens are, by <c>iss</c> = name and header <c>kid</c>.</summary>
    public override IReadOnlyList<ProvisionerRoutingKey> RoutingKeys => [ProvisionerRoutingKey.AudienceFragment(Id), ProvisionerRoutingKey.IssuerAndKeyId(Name, KeyId)];

    /// <inheritdoc />
    public override ValueTask<SignAuthorization> AuthorizeSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        var token = context.RequireToken();
        var claims = Verify(token, context.Audiences);
        // jwk.go: older clients put only the subject in the CSR, so no sans means [sub].
        var sans = claims.Sans is { Count: > 0 } list ? list : [claims.Subject!];
        var split = SubjectAlternativeNames.Split(sans);
        var authorization = CreateSignAuthorization(new TemplateInput(DistinguishedName.FromCommonName(claims.Subject!), split, JwkTokenValue.Of(claims)), TokenUse(claims, token));
        authorization.RequestValidators.Add(new CommonNameValidator([claims.Subject!, .. sans]));
        authorization.RequestValidators.Add(new SansValidator(split));
        if (claims.ConfirmationFingerprint is { } fingerprint)
        {
            authorization.RequestValidators.Add(new CsrFingerprintValidator(fingerprint));
        }
        // The provisioner extension, the default validity and the claims' limits are the authority's standard stages.
        return ValueTask.FromResult(authorization);
    }

    /// <summary>
    /// jwk.go <c>AuthorizeSSHSign</c>: with <c>enableSSHCA</c>, a token for the SSH sign audience
    /// carrying <c>step.ssh</c>. The certificate gets the token's type (default user), key id (default
    /// <c>sub</c>) and principals (default <c>[sub]</c>) through the template; the request's options
    /// must not contradict the token's, whose validity, when set, wins.
    /// </summary>
    public ValueTask<SshSignAuthorization> AuthorizeSshSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        if (!Claims.EnableSshCa)
        {
            throw PkiException.Unauthorized($"jwk.AuthorizeSSHSign; sshCA is disabled for jwk provisioner '{Name}'");
        }
        var token = context.RequireToken();
        var claims = Verify(token, context.Audiences);
        var allowed = claims.StepSsh is { } ssh
            ? SshTokenClaim.Read(ssh)
            : throw PkiException.Unauthorized("jwk.AuthorizeSSHSign; jwk token must be an SSH provisioning token");
        // sshutil.CertTypeFromString: either case.
        var type = allowed.CertType.ToLowerInvariant() switch
        {
            "" or "user" => SshCertificateType.User,
            "host" => SshCertificateType.Host,
            _ => throw PkiException.BadRequest($"unknown certificate type '{allowed.CertType}'"),
        };
        var keyId = allowed.KeyId.Length > 0 ? allowed.KeyId : claims.Subject!;
        IReadOnlyList<string> principals = allowed.Principals.Count > 0 ? allowed.Principals : [claims.Subject!];
        // .Token is every claim of the token (unsafeParseSigned), not the X.509 jwtPayload struct.
        var data = new SshTemplateData(type, keyId, principals).SetToken(TemplateData.FromJson(claims.Raw));
        var authorization = CreateSshSignAuthorization(data, TokenUse(claims, token));
        authorization.RequestValidators.Add(new SshOptionsMatchValidator(allowed));
        var now = _time.GetUtcNow();
        var (validAfter, validBefore) = (SshSignOptions.Resolve(allowed.ValidAfter, now), SshSignOptions.Resolve(allowed.ValidBefore, now));
        if (validAfter is not null || validBefore is not null)
        {
            authorization.Modifiers.Add(new SshValidityModifier(validAfter, validBefore));
        }
        // The default duration, the claims' limits and the mandatory fields are the authority's standard stages.
        return ValueTask.FromResult(authorization);
    }

    /// <inheritdoc />
    public override ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        RenewalPolicy.Authorize(Name, Claims, certificate, _time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        var token = context.RequireToken();
        var claims = Verify(token, context.Audiences);
        return ValueTask.FromResult(new RevokeAuthorization(TokenReplayKey.Of(claims, token.Raw), claims.Subject!));
    }

    /// <summary>
    /// jwk.go <c>AuthorizeSSHRevoke</c>: a token for the SSH revoke audience (the context's), checked
    /// as for X.509 revocation; <c>enableSSHCA</c> is not required, as in step-ca. The authority
    /// requires the subject to be the serial.
    /// </summary>
    public ValueTask<RevokeAuthorization> AuthorizeSshRevokeAsync(AuthorizationContext context, CancellationToken cancellationToken = default) =>
        AuthorizeRevokeAsync(context, cancellationToken);

    // jwk.go authorizeToken: signature by the provisioner key, iss = name, times with a minute of
    // leeway, audience for the operation, non-empty subject.
    private TokenClaims Verify(UnverifiedToken token, AudienceSet audiences)
    {
        TokenClaims claims;
        try
        {
            // The authority decoded the token once; only the signature and claims are checked here.
            claims = SignedToken.From(token).Verify(_key);
        }
        catch (Exception e) when (e is not PkiException)
        {
            throw PkiException.Unauthorized("jwk.authorizeToken; error parsing jwk claims", e);
        }
        StepTokenRules.Require(claims, Name, audiences, _time.GetUtcNow(), "jwk");
        return claims;
    }

    private static OneTimeTokenUse TokenUse(TokenClaims claims, UnverifiedToken token) => TokenReplayKey.Use(claims, token.Raw);
}
