namespace Smallstep.Pki.Storage.Acme;

/// <summary>
/// step-ca's ACME table names (acme/db/nosql/nosql.go; storage.md §5). The ACME feature
/// contributes them as <see cref="TableSet"/> (<c>AddAcmeStorageTables()</c>); retention prunes
/// them when they exist.
/// </summary>
public static class AcmeTables
{
    /// <summary>Accounts: id → JSON.</summary>
    public const string Accounts = "acme_accounts";
    /// <summary>JWK thumbprint → account id.</summary>
    public const string AccountByKeyIdIndex = "acme_keyID_accountID_index";
    /// <summary>Orders: id → JSON.</summary>
    public const string Orders = "acme_orders";
    /// <summary>Account id → JSON array of order ids.</summary>
    public const string AccountOrdersIndex = "acme_account_orders_index";
    /// <summary>Authorizations: id → JSON.</summary>
    public const string Authorizations = "acme_authzs";
    /// <summary>Challenges: id → JSON.</summary>
    public const string Challenges = "acme_challenges";
    /// <summary>Nonces: step-ca's unused nonces; ours records used ones (nonces are issued without a write).</summary>
    public const string Nonces = "nonces";
    /// <summary>Ours, not step-ca's: the key that authenticates issued nonces (one row, <see cref="NonceKeyName"/>).</summary>
    public const string NonceKeys = "acme_nonce_keys";
    /// <summary>Ours, not step-ca's: ACME certificate id → the order replacing it (RFC 9773 §5 <c>replaces</c>).</summary>
    public const string ReplacedCertificatesIndex = "acme_replaced_certs_index";
    /// <summary>The row of <see cref="NonceKeys"/> holding the current key.</summary>
    public const string NonceKeyName = "hmac-sha256";
    /// <summary>Certificates issued through ACME: id → JSON.</summary>
    public const string Certificates = "acme_certs";
    /// <summary>Serial → ACME certificate id.</summary>
    public const string SerialCertificatesIndex = "acme_serial_certs_index";
    /// <summary>External account binding keys.</summary>
    public const string ExternalAccountKeys = "acme_external_account_keys";
    /// <summary><c>provisionerID.reference</c> → EAB key id.</summary>
    public const string ExternalAccountKeyReferenceIndex = "acme_external_account_keyID_reference_index";
    /// <summary>Provisioner id → EAB key ids.</summary>
    public const string ExternalAccountKeyProvisionerIndex = "acme_external_account_keyID_provisionerID_index";
    /// <summary>Wire DPoP tokens.</summary>
    public const string WireDpopTokens = "wire_acme_dpop_token";
    /// <summary>Wire OIDC tokens.</summary>
    public const string WireOidcTokens = "wire_acme_oidc_token";

    /// <summary>The ACME feature's tables in step-ca's order (acme/db/nosql/nosql.go), as a contribution to every store.</summary>
    public static StorageTableSet TableSet { get; } = new("acme",
    [
        Accounts, AccountByKeyIdIndex, Authorizations, Challenges, Nonces, Orders, AccountOrdersIndex, Certificates, SerialCertificatesIndex,
        ExternalAccountKeys, ExternalAccountKeyReferenceIndex, ExternalAccountKeyProvisionerIndex, WireDpopTokens, WireOidcTokens, NonceKeys, ReplacedCertificatesIndex,
    ]);
}
