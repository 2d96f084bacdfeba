using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Provisioners.Renewal;

/// <summary>
/// Accepts step's renew token (<c>POST /renew</c> with <c>Authorization: Bearer</c>), used when mTLS
/// is impossible, e.g. for an expired certificate (authority/authorize.go <c>AuthorizeRenewToken</c>):
/// header <c>x5cInsecure</c> = the certificate to renew, chained to our roots ignoring expiry;
/// claims signed by its key; <c>sub</c> = its CN; renew audience; one-time <c>jti</c>.
/// Thread-safe.
/// </summary>
public sealed class RenewTokenAuthorizer : IRenewTokenAuthorizer
{
    private static readonly TimeSpan Leeway = TimeSpan.FromMinutes(1);
    private readonly ICertificateAuthority _authority;
    private readonly IProvisionerCatalog _catalog;
    private readonly ITokenReplayStore _replay;
    private readonly TimeProvider _time;

    /// <summary>Creates the authorizer.</summary>
    public RenewTokenAuthorizer(ICertificateAuthority authority, IProvisionerCatalog catalog, ITokenReplayStore replay, TimeProvider time)
    {
        _authority = authority;
        _catalog = catalog;
        _replay = replay;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<X509Certificate2> AuthorizeRenewTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        SignedToken parsed;
        try
        {
            parsed = SignedToken.Parse(token);
        }
        catch (Exception e) when (e is not PkiException)
        {
            throw PkiException.Unauthorized("error parsing renew token", e);
        }
        var chain = DecodeChain(parsed.Header.X5cInsecure);
        var leaf = chain[0];
        VerifyChain(leaf, chain);

        TokenClaims claims;
        try
        {
            claims = parsed.Verify(JsonWebKey.FromCertificate(leaf));
            claims.ValidateTime(_time.GetUtcNow(), Leeway);
        }
        catch (Exception e) when (e is not PkiException)
        {
            throw PkiException.Unauthorized("error validating renew token", e);
        }
        TokenRootBinding.Require(claims.Raw, _authority.Trust.Roots);
        if (claims.Subject != leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false))
        {
            throw PkiException.Unauthorized($"invalid token: subject {claims.Subject} does not match the certificate common name");
        }
        if (!_authority.Audiences.Renew.Matches(claims.Audience))
        {
            throw PkiException.Unauthorized($"invalid token: audience [{string.Join(' ', claims.Audience)}] is not a renew audience");
        }
        var provisioner = _catalog.FindByCertificate(leaf) ?? throw PkiException.Unauthorized("provisioner of the certificate to renew not found");
        if (claims.Issuer != "step-ca-client/1.0" && claims.Issuer != provisioner.Name)
        {
            throw PkiException.Unauthorized($"invalid token: issuer {claims.Issuer} is not accepted");
        }
        var replayKey = string.IsNullOrEmpty(claims.Id) ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))) : claims.Id;
        if (!await _replay.TryUseAsync(replayKey, token, cancellationToken).ConfigureAwait(false))
        {
            throw PkiException.Unauthorized("token already used");
        }
        return leaf;
    }

    private static List<X509Certificate2> DecodeChain(IReadOnlyList<string>? x5c)
    {
        if (x5c is not { Count: > 0 } || x5c.Count > 10)
        {
            throw PkiException.Unauthorized("renew token has no x5cInsecure certificates");
        }
        try
        {
            return x5c.Select(b => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(b))).ToList();
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw PkiException.Unauthorized("renew token has an invalid x5cInsecure certificate", e);
        }
    }

    // The chain is checked at the leaf's last minute of validity, so an expired leaf still chains
    // (jose/parse.go ValidateX5CInsecure); EKU clientAuth and KU digitalSignature are required.
    private void VerifyChain(X509Certificate2 leaf, List<X509Certificate2> chain)
    {
        using var verifier = new X509Chain();
        verifier.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verifier.ChainPolicy.CustomTrustStore.AddRange(_authority.Trust.Roots.ToArray());
        verifier.ChainPolicy.ExtraStore.AddRange(chain.Skip(1).Concat(_authority.Trust.Intermediates).ToArray());
        verifier.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        verifier.ChainPolicy.VerificationTime = leaf.NotAfter.ToUniversalTime().AddMinutes(-1);
        verifier.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        if (!verifier.Build(leaf))
        {
            throw PkiException.Unauthorized("renew token certificate does not chain to the CA roots: "
                + string.Join("; ", verifier.ChainStatus.Select(s => s.StatusInformation.Trim())));
        }
        var usage = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            throw PkiException.Unauthorized("renew token certificate lacks the digitalSignature key usage");
        }
    }
}
