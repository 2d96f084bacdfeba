namespace Smallstep.Pki.Provisioning;

/// <summary>
/// A key a request can be routed to a provisioner by. Each provisioner declares its keys
/// (<see cref="IProvisioner.RoutingKeys"/>) and the catalog indexes what they declare, so the
/// catalog knows no provisioner type. The kinds below are the ones the authority asks for; a type may
/// declare keys of its own kind and look them up with <see cref="IProvisionerCatalog.FindByRoutingKey"/>.
/// </summary>
/// <param name="Kind">What the value is compared with (see the static members).</param>
/// <param name="Value">The value, compared ordinally.</param>
public readonly record struct ProvisionerRoutingKey(string Kind, string Value)
{
    /// <summary>Kind of <see cref="AudienceFragment"/>.</summary>
    public const string AudienceFragmentKind = "aud#";

    /// <summary>Kind of <see cref="IssuerAndKeyId"/>.</summary>
    public const string IssuerAndKeyIdKind = "iss:kid";

    /// <summary>Kind of <see cref="TokenAudience"/>.</summary>
    public const string TokenAudienceKind = "aud";

    /// <summary>Kind of <see cref="TokenIssuer"/>.</summary>
    public const string TokenIssuerKind = "iss";

    /// <summary>Kind of <see cref="Tenant"/>.</summary>
    public const string TenantKind = "tid";

    /// <summary>Kind of <see cref="AuthorizedParty"/>.</summary>
    public const string AuthorizedPartyKind = "azp";

    /// <summary>Kind of <see cref="Path"/>.</summary>
    public const string PathKind = "path";

    /// <summary>Kind of <see cref="ClientCertificateIssuer"/>.</summary>
    public const string ClientCertificateIssuerKind = "client-certificate-issuer";

    /// <summary>
    /// A token whose accepted audience carries <c>#fragment</c> (step-ca <c>LoadByToken</c>: GCP,
    /// AWS, X5C, SSHPOP, Nebula, ... tokens name their provisioner's id this way).
    /// </summary>
    public static ProvisionerRoutingKey AudienceFragment(string fragment) => new(AudienceFragmentKind, fragment);

    /// <summary>A token with an accepted audience, no fragment, this <c>iss</c> and header <c>kid</c> (JWK tokens).</summary>
    public static ProvisionerRoutingKey IssuerAndKeyId(string issuer, string keyId) => new(IssuerAndKeyIdKind, issuer + ":" + keyId);

    /// <summary>A token whose first <c>aud</c> is this value (OIDC client ids, K8sSA).</summary>
    public static ProvisionerRoutingKey TokenAudience(string audience) => new(TokenAudienceKind, audience);

    /// <summary>A token of another issuer whose <c>iss</c> is this value (Kubernetes service account tokens: <c>kubernetes/serviceaccount</c>).</summary>
    public static ProvisionerRoutingKey TokenIssuer(string issuer) => new(TokenIssuerKind, issuer);

    /// <summary>A token whose <c>tid</c> claim is this tenant (Azure).</summary>
    public static ProvisionerRoutingKey Tenant(string tenantId) => new(TenantKind, tenantId);

    /// <summary>A token whose <c>azp</c> claim is this party (OIDC).</summary>
    public static ProvisionerRoutingKey AuthorizedParty(string party) => new(AuthorizedPartyKind, party);

    /// <summary>A URL path a protocol serves the provisioner under, e.g. <c>Path("acme", name)</c> for <c>/acme/{name}</c>.</summary>
    public static ProvisionerRoutingKey Path(string protocol, string name) => new(PathKind, protocol + "/" + name);

    /// <summary>A request without a token whose TLS client certificate was issued by this name (RFC 4514 text of the issuer DN).</summary>
    public static ProvisionerRoutingKey ClientCertificateIssuer(string issuerName) => new(ClientCertificateIssuerKind, issuerName);
}
