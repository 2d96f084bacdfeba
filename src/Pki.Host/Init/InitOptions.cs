using Smallstep.Pki.Issuance.Templating;

namespace Smallstep.Pki.Host.Init;

/// <summary>What <c>init</c> creates.</summary>
/// <param name="StepPath">The folder to write the PKI into.</param>
/// <param name="Name">The CA name: <c>&lt;name&gt; Root CA</c>, <c>&lt;name&gt; Intermediate CA</c>, organization.</param>
/// <param name="DnsNames">The CA's DNS names and IPs (token audiences, TLS SANs).</param>
/// <param name="Address">The listen address.</param>
/// <param name="ProvisionerName">The JWK provisioner's name.</param>
/// <param name="Password">The password of the CA keys.</param>
/// <param name="ProvisionerPassword">The password of the JWK provisioner key.</param>
/// <param name="RootTemplate">An X.509 template describing the root, or null for step's profile.</param>
/// <param name="IntermediateTemplate">An X.509 template describing the intermediate, or null for step's profile.</param>
/// <param name="Ssh">Also create the SSH CA (<c>--ssh</c>): keys, templates, an SSHPOP provisioner.</param>
/// <param name="KmsUri"><c>--kms</c>: create the CA keys in this key manager (ca.json <c>kms.uri</c>), or null for encrypted files.</param>
/// <param name="KmsRootKey"><c>--kms-root</c>: the root key's name in the key manager, or null for the type's default.</param>
/// <param name="KmsIntermediateKey"><c>--kms-intermediate</c>: the intermediate key's name, or null for the type's default.</param>
internal sealed record InitOptions(string StepPath, string Name, IReadOnlyList<string> DnsNames, string Address, string ProvisionerName, string Password, string ProvisionerPassword,
    X509CertificateTemplate? RootTemplate = null, X509CertificateTemplate? IntermediateTemplate = null,
    string? KmsUri = null, string? KmsRootKey = null, string? KmsIntermediateKey = null, bool Ssh = false);
