using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Authority;

/// <summary>
/// The certificate authority as in-process callers see it; the step-ca HTTP API is one consumer.
/// Every method is thread-safe, fails closed and reports failures as
/// <see cref="Errors.PkiException"/>.
/// </summary>
public interface ICertificateAuthority
{
    /// <summary>
    /// Issues a leaf for a CSR (step-ca <c>POST /sign</c>): the provisioner is found by the request's
    /// <see cref="SignRequest.Provisioner"/> name, else its one-time token, else its TLS client
    /// certificate; it authorizes, and the pipeline runs its plan (<see cref="IssueAsync"/>).
    /// </summary>
    ValueTask<IssuedCertificate> SignAsync(SignRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs the issuance stages for a request someone already authorized (an ACME order finalize, a
    /// SCEP transaction, an in-process caller): the plan's validators, template and modifiers, the
    /// limits and policies no plan can skip, one signature, and one transaction that records the
    /// certificate with every recording step of <paramref name="plan"/>, or nothing.
    /// </summary>
    ValueTask<IssuedCertificate> IssueAsync(SignRequest request, Provisioning.SignAuthorization plan, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-issues <paramref name="certificate"/> with the same key and a fresh validity window
    /// (step-ca <c>POST /renew</c>). The caller has proven possession (mTLS or a renew token).
    /// </summary>
    ValueTask<IssuedCertificate> RenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default);

    /// <summary>Re-issues <paramref name="certificate"/> for the public key of <paramref name="csr"/> (<c>POST /rekey</c>).</summary>
    ValueTask<IssuedCertificate> RekeyAsync(X509Certificate2 certificate, CertificationRequest csr, CancellationToken cancellationToken = default);

    /// <summary>Revokes a certificate, passively (recorded; served in CRLs), per <c>POST /revoke</c>.</summary>
    ValueTask RevokeAsync(RevokeRequest request, CancellationToken cancellationToken = default);

    /// <summary>The trust material: roots, federated roots and the issuing chain.</summary>
    TrustBundle Trust { get; }

    /// <summary>The token audiences each operation accepts (from <c>dnsNames</c>).</summary>
    Provisioning.Audiences Audiences { get; }

    /// <summary>
    /// The authority's name policy (<c>authority.policy</c>), or null when it has none. Issuance
    /// enforces it; callers that accept names long before issuing (an ACME new-order) check them
    /// early with it, so a client learns at once that a name will never be allowed.
    /// </summary>
    Policy.INamePolicyEngine? NamePolicy { get; }
}

/// <summary>A certificate request (<c>POST /sign</c>, or an in-process caller).</summary>
/// <param name="Csr">The parsed, signature-checked PKCS#10 request (<see cref="CertificationRequest.Parse"/>).</param>
/// <param name="Token">The one-time token (<c>ott</c>), or null when the request is authorized otherwise.</param>
/// <param name="NotBefore">Requested start of validity.</param>
/// <param name="NotAfter">Requested end of validity (durations count from <paramref name="NotBefore"/>).</param>
/// <param name="TemplateData">Request <c>templateData</c>, exposed to custom templates as <c>.Insecure.User</c>.</param>
public sealed record SignRequest(CertificationRequest Csr, string? Token, TimeDuration NotBefore = default, TimeDuration NotAfter = default, JsonElement? TemplateData = null)
{
    /// <summary>The provisioner to authorize with, by name, when the caller knows it (in-process callers); null routes by token or client certificate.</summary>
    public string? Provisioner { get; init; }

    /// <summary>The TLS client certificate the request came with, or null.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The client's address, or null.</summary>
    public System.Net.IPAddress? RemoteAddress { get; init; }

    /// <summary>A request from DER; throws a 400 <see cref="Errors.PkiException"/> when the CSR is invalid.</summary>
    /// <param name="CsrDer">The PKCS#10 request, DER.</param>
    /// <param name="Token">The one-time token.</param>
    /// <param name="NotBefore">Requested start of validity.</param>
    /// <param name="NotAfter">Requested end of validity.</param>
    /// <param name="TemplateData">Request <c>templateData</c>.</param>
    public SignRequest(ReadOnlyMemory<byte> CsrDer, string? Token, TimeDuration NotBefore = default, TimeDuration NotAfter = default, JsonElement? TemplateData = null)
        : this(CertificationRequest.Parse(CsrDer), Token, NotBefore, NotAfter, TemplateData)
    {
    }
}

/// <summary>A <c>POST /revoke</c> request.</summary>
/// <param name="Serial">The serial as sent (decimal, <c>0x</c> hex, <c>0b</c> binary or leading-0 octal).</param>
/// <param name="Token">One-time token, or null when the caller authenticated with <paramref name="ClientCertificate"/>.</param>
/// <param name="ReasonCode">RFC 5280 §5.3.1 reason code, 0-10.</param>
/// <param name="Reason">Free-text reason.</param>
/// <param name="Passive">Must be true: active revocation (OCSP push) is not supported, as in step-ca.</param>
/// <param name="ClientCertificate">The mTLS client certificate, if any.</param>
public sealed record RevokeRequest(string Serial, string? Token, int ReasonCode, string? Reason, bool Passive, X509Certificate2? ClientCertificate);

/// <summary>An issued leaf with the chain that signed it (root excluded).</summary>
/// <param name="LeafDer">The leaf certificate, DER.</param>
/// <param name="ChainDer">The issuing chain from the intermediate upward (the <c>crt</c> bundle).</param>
public sealed record IssuedCertificate(byte[] LeafDer, IReadOnlyList<byte[]> ChainDer);

/// <summary>The CA's trust material.</summary>
/// <param name="Roots">The configured roots (<c>root</c>).</param>
/// <param name="FederatedRoots">Roots of other CAs that this one trusts (<c>federatedRoots</c>).</param>
/// <param name="Intermediates">The issuing chain (<c>crt</c>), leaf-most first.</param>
public sealed record TrustBundle(IReadOnlyList<X509Certificate2> Roots, IReadOnlyList<X509Certificate2> FederatedRoots, IReadOnlyList<X509Certificate2> Intermediates);
