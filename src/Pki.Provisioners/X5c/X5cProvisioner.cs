using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Issuance.Stages;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioners.Jwk;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Ssh.Stages;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Provisioners.X5c;

/// <summary>
/// The X5C provisioner (authority/provisioner/x5c.go): one-time tokens signed by the key of an X.509
/// certificate that travels in the <c>x5c</c> header and chains to the provisioner's <c>roots</c>.
/// Routed by the audience fragment <c>#x5c/&lt;name&gt;</c>; <c>iss</c> = name; one-minute leeway;
/// <c>jti</c> burned once. Signs X.509 certificates valid within the leaf's window, renews them,
/// revokes, and signs SSH certificates with <c>enableSSHCA</c>; like step-ca it neither renews,
/// rekeys nor revokes SSH certificates. Immutable and thread-safe.
/// </summary>
public sealed class X5cProvisioner : Provisioner, ISshSignProvisioner
{
    private readonly X509Certificate2[] _roots;

    /// <summary>Creates the provisioner from its ca.json entry and its parsed roots.</summary>
    /// <param name="config">The entry.</param>
    /// <param name="roots">The certificates of <c>roots</c>; at least one. The provisioner keeps them.</param>
    /// <param name="context">What the catalog provides.</param>
    /// <exception cref="CaConfigException">The entry's certificate template cannot be read or parsed.</exception>
    public X5cProvisioner(ProvisionerConfig config, IReadOnlyList<X509Certificate2> roots, ProvisionerBuildContext context)
        : base(config, context)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            throw new ArgumentException("an X5C provisioner needs at least one root", nameof(roots));
        }
        _roots = [.. roots];
    }

    /// <summary>The roots tokens must chain to.</summary>
    public IReadOnlyList<X509Certificate2> Roots => _roots;

    /// <inheritdoc />
    public override async ValueTask<SignAuthorization> AuthorizeSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (claims, leaf, token) = await VerifyAsync(context, context.Audiences, cancellationToken).ConfigureAwait(false);
        // x5c.go: older clients put only the subject in the CSR, so no sans means [sub].
        var sans = claims.Sans is { Count: > 0 } list ? list : [claims.Subject!];
        var split = SubjectAlternativeNames.Split(sans);
        var input = new TemplateInput(DistinguishedName.FromCommonName(claims.Subject!), split, TemplateData.FromJson(claims.Raw))
        {
            AuthorizationCertificate = AuthorizationCertificateValue.Of(leaf),
        };
        var authorization = CreateSignAuthorization(input, TokenUse(claims, token));
        // commonNameValidator(claims.Subject): unlike JWK, only the subject.
        authorization.RequestValidators.Add(new CommonNameValidator([claims.Subject!]));
        authorization.RequestValidators.Add(new SansValidator(split));
        if (claims.ConfirmationFingerprint is { } fingerprint)
        {
            authorization.RequestValidators.Add(new CsrFingerprintValidator(fingerprint));
        }
        authorization.OptOut |= StandardStages.DefaultValidity;
        authorization.Modifiers.Add(new X5cCredentialValidityModifier(Claims.DefaultTlsCertDuration, leaf.NotBefore.ToUniversalTime(), leaf.NotAfter.ToUniversalTime()));
        return authorization;
    }

    /// <summary>
    /// x5c.go <c>AuthorizeSSHSign</c>: with <c>enableSSHCA</c>, a token for the SSH sign audience
    /// carrying <c>step.ssh</c>; type (default user), key id (default <c>sub</c>) and principals
    /// (default <c>[sub]</c>) from the token, the request must not contradict it, and the validity
    /// ends by the leaf's notAfter.
    /// </summary>
    public async ValueTask<SshSignAuthorization> AuthorizeSshSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Claims.EnableSshCa)
        {
            throw PkiException.Unauthorized($"x5c.AuthorizeSSHSign; sshCA is disabled for x5c provisioner '{Name}'");
        }
        var (claims, leaf, token) = await VerifyAsync(context, context.Audiences, cancellationToken).ConfigureAwait(false);
        var allowed = claims.StepSsh is { } ssh
            ? SshTokenClaim.Read(ssh)
            : throw PkiException.Unauthorized("x5c.AuthorizeSSHSign; x5c token must be an SSH provisioning token");
        var type = allowed.CertType.ToLowerInvariant() switch
        {
            "" or "user" => SshCertificateType.User,
            "host" => SshCertificateType.Host,
            _ => throw PkiException.BadRequest($"unknown certificate type '{allowed.CertType}'"),
        };
        var keyId = allowed.KeyId.Length > 0 ? allowed.KeyId : claims.Subject!;
        IReadOnlyList<string> principals = allowed.Principals.Count > 0 ? allowed.Principals : [claims.Subject!];
        var data = new SshTemplateData(type, keyId, principals)
            .SetToken(TemplateData.FromJson(claims.Raw))
            .SetAuthorizationCertificate(AuthorizationCertificateValue.Of(leaf));
        var authorization = CreateSshSignAuthorization(data, TokenUse(claims, token));
        authorization.RequestValidators.Add(new SshOptionsMatchValidator(allowed));
        var now = Time.GetUtcNow();
        var (validAfter, validBefore) = (SshSignOptions.Resolve(allowed.ValidAfter, now), SshSignOptions.Resolve(allowed.ValidBefore, now));
        if (validAfter is not null || validBefore is not null)
        {
            authorization.Modifiers.Add(new SshValidityModifier(validAfter, validBefore));
        }
        authorization.OptOut |= StandardStages.DefaultValidity;
        authorization.Modifiers.Add(new X5cSshCredentialValidityModifier(Claims, leaf.NotAfter.ToUniversalTime()));
        return authorization;
    }

    /// <inheritdoc />
    public override ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        RenewalPolicy.Authorize(Name, Claims, certificate, Time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// x5c.go <c>AuthorizeRevoke</c>: a valid token for the revoke audience. The authority then
    /// requires its subject to equal the serial revoked (CVE-2025-66406).
    /// </summary>
    public override async ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (claims, _, token) = await VerifyAsync(context, context.Audiences, cancellationToken).ConfigureAwait(false);
        return new RevokeAuthorization(TokenReplayKey.Of(claims, token.Raw), claims.Subject!);
    }

    // x5c.go authorizeToken: the header chain verifies to the roots now, the leaf may sign, its key
    // signed the token, then iss = name, times, audience with #x5c/<name>, non-empty subject.
    // Beyond step-ca: no certificate of the header may be revoked here.
    private async ValueTask<(TokenClaims Claims, X509Certificate2 Leaf, UnverifiedToken Token)> VerifyAsync(AuthorizationContext context, AudienceSet audiences,
        CancellationToken cancellationToken)
    {
        var token = context.RequireToken();
        var signed = SignedToken.From(token);
        var chain = X5cCertificateChain.Decode(signed.Header.X5c);
        var now = Time.GetUtcNow();
        var leaf = X5cCertificateChain.Verify(chain, _roots, now);
        var revocations = context.Revocations
            ?? throw PkiException.Unauthorized("x5c.authorizeToken; the revocation status of the x5c certificates cannot be checked");
        await X5cCertificateChain.RequireNotRevokedAsync(chain, revocations, cancellationToken).ConfigureAwait(false);
        TokenClaims claims;
        try
        {
            claims = signed.Verify(JsonWebKey.FromCertificate(leaf));
        }
        catch (Exception e) when (e is PkiException or System.Security.Cryptography.CryptographicException)
        {
            // A leaf key the JOSE layer refuses (say, RSA under 2048 bits) is a refused token, not a bad request.
            throw PkiException.Unauthorized("x5c.authorizeToken; error parsing x5c claims: " + e.Message, e);
        }
        StepTokenRules.Require(claims, Name, audiences.WithFragment(Id), now, "x5c");
        return (claims, leaf, token);
    }

    private static OneTimeTokenUse TokenUse(TokenClaims claims, UnverifiedToken token) => TokenReplayKey.Use(claims, token.Raw);
}
