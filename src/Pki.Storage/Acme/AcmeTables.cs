namespace Smallstep.Pki.Storage.Retention;

/// <summary>step-ca's ACME table names (acme/db/nosql/nosql.go; storage.md §5).</summary>
internal static class AcmeTables
{
    public const string Orders = "acme_orders";
    public const string AccountOrdersIndex = "acme_account_orders_index";
    public const string Authorizations = "acme_authzs";
    public const string Challenges = "acme_challenges";
    public const string Nonces = "nonces";
    public const string Certificates = "acme_certs";
    public const string SerialCertificatesIndex = "acme_serial_certs_index";
    public const string WireDpopTokens = "wire_acme_dpop_token";
    public const string WireOidcTokens = "wire_acme_oidc_token";
}
