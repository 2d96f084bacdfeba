using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Authority;

/// <summary>What the authority needs beyond its services; built from ca.json by the host or by an embedding app.</summary>
public sealed class CertificateAuthorityOptions
{
    /// <summary>The issuing certificate chain and key.</summary>
    public required X509Issuer Issuer { get; init; }

    /// <summary>The roots (<c>root</c>).</summary>
    public required IReadOnlyList<X509Certificate2> Roots { get; init; }

    /// <summary>Other CAs' roots served by <c>/federation</c> (<c>federatedRoots</c>).</summary>
    public IReadOnlyList<X509Certificate2> FederatedRoots { get; init; } = [];

    /// <summary>Token audiences from <c>dnsNames</c>.</summary>
    public required Audiences Audiences { get; init; }

    /// <summary><c>authority.backdate</c>: how far notBefore is moved into the past (default 1 minute).</summary>
    public TimeSpan Backdate { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>authority.template</c>: subject attributes filled in when the certificate leaves them empty.</summary>
    public Configuration.SubjectDefaultsConfig? SubjectDefaults { get; init; }

    /// <summary>
    /// <c>authority.policy</c>: the names this CA may certify (stage 6), checked on sign as in
    /// step-ca (authority/tls.go); null allows every name.
    /// </summary>
    public Policy.INamePolicyEngine? NamePolicy { get; init; }

    /// <summary>
    /// The name constraints of the CA's own certificates (intermediates and roots), enforced on
    /// sign, renew and rekey; null when none of them has the extension.
    /// </summary>
    public Policy.CaNameConstraints? NameConstraints { get; init; }

    /// <summary><c>authority.disableIssuedAtCheck</c>: accept tokens issued before the authority started.</summary>
    public bool DisableIssuedAtCheck { get; init; }
}
