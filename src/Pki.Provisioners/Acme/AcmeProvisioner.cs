using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// An ACME provisioner (authority/provisioner/acme.go): served at <c>/acme/{name}/...</c>, it never
/// accepts a token (step-ca's CVE-2025-44005 was an ACME provisioner reached through a token's
/// audience), authorizes issuance only through a ready order (<see cref="AuthorizeFinalize"/>), and
/// renews its certificates over mTLS under its claims. Immutable and thread-safe.
/// </summary>
public sealed class AcmeProvisioner : Provisioner
{
    /// <summary>Creates the provisioner from its ca.json entry and validated options.</summary>
    public AcmeProvisioner(ProvisionerConfig config, ProvisionerBuildContext context, AcmeProvisionerOptions options)
        : base(config, context)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The ACME members of the entry.</summary>
    public AcmeProvisionerOptions Options { get; }

    /// <summary>The entry's rate limits (<c>rateLimits</c>).</summary>
    public RateLimits.AcmeRateLimitOptions RateLimits => Options.RateLimits;

    /// <summary>The name policy of the entry, for new-order identifier checks (RFC 8555 §7.4 <c>rejectedIdentifier</c>).</summary>
    public Policy.NamePolicy? IdentifierPolicy => NamePolicy;

    /// <summary>Routed only by its path, <c>/acme/{name}</c>; no token audience reaches it.</summary>
    public override IReadOnlyList<ProvisionerRoutingKey> RoutingKeys => [ProvisionerRoutingKey.Path("acme", Name)];

    /// <summary>Always refused: ACME issues through orders, never through a token (CVE-2025-44005).</summary>
    public override ValueTask<SignAuthorization> AuthorizeSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default) =>
        throw TokenRefused("sign");

    /// <summary>Always refused: ACME revokes through revoke-cert (RFC 8555 §7.6), never through a token (CVE-2025-44005).</summary>
    public override ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(AuthorizationContext context, CancellationToken cancellationToken = default) =>
        throw TokenRefused("revoke");

    /// <inheritdoc />
    public override ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        RenewalPolicy.Authorize(Name, Claims, certificate, Time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The plan of a finalize (RFC 8555 §7.4; step-ca acme/order.go <c>Finalize</c>): the CSR must
    /// name exactly the order's identifiers (<see cref="AcmeCsrRules"/>); the certificate gets the
    /// CSR's common name (with <c>forceCN</c>, the first DNS identifier when it has none) and the
    /// order's identifiers as SANs, through the entry's template, claims and policy.
    /// </summary>
    /// <param name="csr">The parsed, signature-checked CSR.</param>
    /// <param name="order">The ready order.</param>
    /// <param name="recording">The step that marks the order valid with the certificate.</param>
    public SignAuthorization AuthorizeFinalize(CertificationRequest csr, AcmeOrder order, IRecordingStep recording)
    {
        ArgumentNullException.ThrowIfNull(csr);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(recording);
        var sans = AcmeCsrRules.Check(csr, order);
        var commonName = csr.Subject.CommonName;
        if (commonName.Length == 0 && Options.ForceCn && sans.DnsNames.Count > 0)
        {
            commonName = sans.DnsNames[0];
        }
        // x509util.CreateTemplateData(commonName, sans): the subject is the common name only.
        return CreateSignAuthorization(new TemplateInput(DistinguishedName.FromCommonName(commonName), sans), recording);
    }

    private Errors.PkiException TokenRefused(string operation) =>
        Errors.PkiException.Unauthorized($"provisioner {Name} of type ACME does not accept tokens for {operation}");
}
