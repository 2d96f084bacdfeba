using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Provisioners.SshPop;

/// <summary>
/// The SSHPOP provisioner (authority/provisioner/sshpop.go): proof of possession of an SSH
/// certificate. A token carries the certificate (std base64 wire blob) in its <c>sshpop</c> header
/// and is signed by the certificate's key; the certificate must be signed by one of the CA's SSH
/// user keys (user certificates) or host keys (host certificates). It renews and rekeys host
/// certificates and revokes SSH certificates, nothing else (X.509 and SSH sign are denied by the
/// base). Routed by the audience fragment <c>#sshpop/&lt;name&gt;</c>. Immutable and thread-safe.
/// </summary>
public sealed class SshPopProvisioner : Provisioner, ISshRenewProvisioner, ISshRekeyProvisioner, ISshRevokeProvisioner
{
    /// <summary>Creates the provisioner from its ca.json entry.</summary>
    /// <exception cref="CaConfigException">The entry's certificate template cannot be read or parsed.</exception>
    public SshPopProvisioner(ProvisionerConfig config, ProvisionerBuildContext context)
        : base(config, context)
    {
    }

    /// <summary>
    /// sshpop.go <c>AuthorizeSSHRenew</c>: a host certificate whose validity is judged by the renewal
    /// rules (<c>disableRenewal</c>; not before validAfter; after validBefore only with
    /// <c>allowRenewalAfterExpiry</c>), not by the token check. Revocation is the authority's check.
    /// </summary>
    public ValueTask<SshReissueAuthorization> AuthorizeSshRenewAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        var (claims, certificate) = Verify(context, checkValidity: false);
        RequireHost(certificate);
        AuthorizeRenewal(certificate);
        var plan = new SshReissueAuthorization(this, certificate) { NamePolicy = NamePolicy };
        plan.RecordingSteps.Add(TokenReplayKey.Use(claims, context.RequireToken().Raw));
        return ValueTask.FromResult(plan);
    }

    /// <summary>
    /// sshpop.go <c>AuthorizeSSHRekey</c>: a currently valid host certificate. The new key, the
    /// claims' duration limits and the mandatory fields are the runner's standard checks.
    /// </summary>
    public ValueTask<SshReissueAuthorization> AuthorizeSshRekeyAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        var (claims, certificate) = Verify(context, checkValidity: true);
        RequireHost(certificate);
        var plan = new SshReissueAuthorization(this, certificate) { NamePolicy = NamePolicy };
        plan.RecordingSteps.Add(TokenReplayKey.Use(claims, context.RequireToken().Raw));
        return ValueTask.FromResult(plan);
    }

    /// <summary>
    /// sshpop.go <c>AuthorizeSSHRevoke</c>: a currently valid certificate of either type, whose serial
    /// the token's subject must be (403 otherwise). The authority also compares the subject with the
    /// serial in the request, so a certificate revokes only itself.
    /// </summary>
    public ValueTask<RevokeAuthorization> AuthorizeSshRevokeAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        var (claims, certificate) = Verify(context, checkValidity: true);
        if (claims.Subject != certificate.SerialDecimal)
        {
            throw PkiException.Forbidden($"token subject \"{claims.Subject}\" and sshpop certificate serial number \"{certificate.SerialDecimal}\" do not match");
        }
        return ValueTask.FromResult(new RevokeAuthorization(TokenReplayKey.Of(claims, context.RequireToken().Raw), claims.Subject));
    }

    // sshpop.go authorizeToken: the certificate from the header, its validity when asked, a CA key of
    // its type that signed it, the token signed by the certificate's key, iss = name, times with a
    // minute of leeway, the operation's audience with #sshpop/<name>, a subject.
    private (TokenClaims Claims, PresentedSshCertificate Certificate) Verify(AuthorizationContext context, bool checkValidity)
    {
        var token = SignedToken.From(context.RequireToken());
        var certificate = ReadCertificate(token.Header.Sshpop);
        var now = (ulong)Math.Max(0, Time.GetUtcNow().ToUnixTimeSeconds());
        if (checkValidity)
        {
            // No leeway: the certificate's own window, as OpenSSH judges it.
            if (now < certificate.ValidAfter)
            {
                throw PkiException.Unauthorized("sshpop.authorizeToken; sshpop certificate validAfter is in the future");
            }
            if (certificate.ValidBefore != PresentedSshCertificate.Forever && now >= certificate.ValidBefore)
            {
                throw PkiException.Unauthorized("sshpop.authorizeToken; sshpop certificate validBefore is in the past");
            }
        }
        var keys = context.SshCaKeys ?? throw PkiException.Unauthorized("sshpop.authorizeToken; no ssh certificate authority keys to verify the sshpop certificate with");
        var candidates = certificate.Description.Type == SshCertificateType.User ? keys.UserKeys : keys.HostKeys;
        if (!candidates.Any(certificate.IsSignedBy))
        {
            throw PkiException.Unauthorized("sshpop.authorizeToken; could not find valid ca signer to verify sshpop certificate");
        }
        // The certificate's key signed the claims: the caller holds the certified key, and the
        // claims are as it wrote them.
        var claims = token.Verify(SshPopSignerKey.Of(certificate.SubjectKey));
        if (claims.Issuer != Name)
        {
            throw PkiException.Unauthorized($"sshpop.authorizeToken; invalid sshpop token: issuer {claims.Issuer} is not {Name}");
        }
        claims.ValidateTime(Time.GetUtcNow());
        if (!context.Audiences.WithFragment(Id).Matches(claims.Audience))
        {
            throw PkiException.Unauthorized($"sshpop.authorizeToken; sshpop token has invalid audience claim (aud): got [{string.Join(' ', claims.Audience)}]");
        }
        if (string.IsNullOrEmpty(claims.Subject))
        {
            throw PkiException.Unauthorized("sshpop.authorizeToken; sshpop token subject cannot be empty");
        }
        return (claims, certificate);
    }

    // sshpop.go ExtractSSHPOPCert: the header, std base64, an SSH certificate.
    private static PresentedSshCertificate ReadCertificate(string? header)
    {
        if (header is null)
        {
            throw PkiException.Unauthorized("sshpop.authorizeToken; error extracting sshpop header from token: token missing sshpop header");
        }
        var blob = new byte[header.Length];
        if (!Convert.TryFromBase64String(header, blob, out var length))
        {
            throw PkiException.Unauthorized("sshpop.authorizeToken; error extracting sshpop header from token: error base64 decoding sshpop header");
        }
        try
        {
            return PresentedSshCertificate.Parse(blob.AsSpan(0, length));
        }
        catch (FormatException e)
        {
            throw PkiException.Unauthorized("sshpop.authorizeToken; error extracting sshpop header from token: " + e.Message, e);
        }
    }

    private static void RequireHost(PresentedSshCertificate certificate)
    {
        if (certificate.Description.Type != SshCertificateType.Host)
        {
            throw PkiException.BadRequest("sshpop certificate must be a host ssh certificate");
        }
    }

    // controller.go DefaultAuthorizeSSHRenew.
    private void AuthorizeRenewal(PresentedSshCertificate certificate)
    {
        if (Claims.DisableRenewal)
        {
            throw PkiException.Unauthorized($"renew is disabled for provisioner '{Name}'");
        }
        var now = (ulong)Math.Max(0, Time.GetUtcNow().ToUnixTimeSeconds());
        if (now < certificate.ValidAfter)
        {
            throw PkiException.Unauthorized("certificate is not yet valid");
        }
        if (certificate.ValidBefore != PresentedSshCertificate.Forever && now >= certificate.ValidBefore && !Claims.AllowRenewalAfterExpiry)
        {
            throw PkiException.Unauthorized("certificate has expired");
        }
    }
}
