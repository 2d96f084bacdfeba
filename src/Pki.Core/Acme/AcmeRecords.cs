namespace Smallstep.Pki.Acme;

/// <summary>An ACME identifier (RFC 8555 §7.1.4; <c>ip</c> per RFC 8738): <c>{"type","value"}</c>.</summary>
/// <param name="Type"><c>dns</c> or <c>ip</c> (step-ca also knows <c>permanent-identifier</c>, <c>wireapp-*</c>).</param>
/// <param name="Value">The name or address.</param>
public sealed record AcmeIdentifier(string Type, string Value);

/// <summary>An ACME problem (RFC 8555 §6.7) as step-ca stores it on orders, authorizations and challenges: <c>{"type","detail"}</c>.</summary>
/// <param name="Type">The full problem type URN, e.g. <c>urn:ietf:params:acme:error:connection</c>.</param>
/// <param name="Detail">The human-readable detail.</param>
public sealed record AcmeProblem(string Type, string Detail)
{
    /// <summary>The prefix of RFC 8555's problem types (§6.7).</summary>
    public const string UrnPrefix = "urn:ietf:params:acme:error:";

    /// <summary>A problem of the RFC 8555 type <paramref name="shortName"/> (e.g. <c>connection</c>).</summary>
    public static AcmeProblem Of(string shortName, string detail) => new(UrnPrefix + shortName, detail);
}

/// <summary>An ACME account (RFC 8555 §7.1.2), stored in <c>acme_accounts</c>.</summary>
/// <param name="Id">32 random alphanumeric characters.</param>
/// <param name="KeyJson">The account public key as a JWK JSON object (go-jose member order).</param>
/// <param name="Contact">Contact URLs.</param>
/// <param name="Status"><c>valid</c> or <c>deactivated</c>.</param>
/// <param name="LocationPrefix"><c>https://host/acme/{provisioner}/account/</c>: the <c>kid</c> is this plus <paramref name="Id"/>.</param>
/// <param name="ProvisionerId">The provisioner id, or empty.</param>
/// <param name="ProvisionerName">The provisioner name.</param>
/// <param name="CreatedAt">Creation time (UTC, seconds).</param>
/// <param name="DeactivatedAt">Deactivation time, or <see cref="DateTimeOffset.MinValue"/>.</param>
public sealed record AcmeAccount(string Id, string KeyJson, IReadOnlyList<string> Contact, string Status, string LocationPrefix,
    string ProvisionerId, string ProvisionerName, DateTimeOffset CreatedAt, DateTimeOffset DeactivatedAt);

/// <summary>An ACME order (RFC 8555 §7.1.3), stored in <c>acme_orders</c>.</summary>
/// <param name="Id">Order id.</param>
/// <param name="AccountId">The ordering account.</param>
/// <param name="ProvisionerId">The provisioner id.</param>
/// <param name="Identifiers">What the certificate will name.</param>
/// <param name="AuthorizationIds">One authorization per identifier.</param>
/// <param name="Status">pending, ready, processing, valid or invalid.</param>
/// <param name="NotBefore">The certificate's notBefore.</param>
/// <param name="NotAfter">The certificate's notAfter.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="ExpiresAt">When the order expires.</param>
/// <param name="CertificateId">The issued <c>acme_certs</c> id, or null.</param>
/// <param name="Error">Why the order is invalid, or null.</param>
public sealed record AcmeOrder(string Id, string AccountId, string ProvisionerId, IReadOnlyList<AcmeIdentifier> Identifiers, IReadOnlyList<string> AuthorizationIds,
    string Status, DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? CertificateId = null, AcmeProblem? Error = null);

/// <summary>An ACME authorization (RFC 8555 §7.1.4), stored in <c>acme_authzs</c>. The identifier has no wildcard prefix; <paramref name="Wildcard"/> says it had one.</summary>
/// <param name="Id">Authorization id.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Identifier">The identifier, without <c>*.</c>.</param>
/// <param name="Status">pending, valid, invalid, deactivated, expired or revoked.</param>
/// <param name="Token">The token all its challenges share (step-ca).</param>
/// <param name="Fingerprint">The attested key fingerprint (device-attest-01), or null.</param>
/// <param name="ChallengeIds">Its challenges.</param>
/// <param name="Wildcard">True for a <c>*.</c> identifier.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="ExpiresAt">Expiry.</param>
/// <param name="Error">A problem, or null.</param>
public sealed record AcmeAuthorization(string Id, string AccountId, AcmeIdentifier Identifier, string Status, string Token, string? Fingerprint,
    IReadOnlyList<string> ChallengeIds, bool Wildcard, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, AcmeProblem? Error = null);

/// <summary>An ACME challenge (RFC 8555 §7.1.5, §8), stored in <c>acme_challenges</c>.</summary>
/// <param name="Id">Challenge id.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="AuthorizationId">Its authorization (not stored by step-ca; taken from the URL, empty when read from storage).</param>
/// <param name="Type">http-01, dns-01, tls-alpn-01, ...</param>
/// <param name="Status">pending, processing, valid or invalid.</param>
/// <param name="Token">The token.</param>
/// <param name="Value">The identifier value (no wildcard prefix).</param>
/// <param name="ValidatedAt">When it became valid (RFC 3339 text, step-ca stores a string), or empty.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="Error">The last validation problem, or null.</param>
public sealed record AcmeChallenge(string Id, string AccountId, string AuthorizationId, string Type, string Status, string Token, string Value,
    string ValidatedAt, DateTimeOffset CreatedAt, AcmeProblem? Error = null);

/// <summary>A certificate issued through ACME, stored in <c>acme_certs</c>.</summary>
/// <param name="Id">Certificate id (the download URL's last segment).</param>
/// <param name="CreatedAt">Issuance time.</param>
/// <param name="AccountId">The ordering account.</param>
/// <param name="OrderId">The order.</param>
/// <param name="LeafPem">The leaf, PEM.</param>
/// <param name="IntermediatesPem">The issuing chain, concatenated PEM.</param>
public sealed record AcmeCertificate(string Id, DateTimeOffset CreatedAt, string AccountId, string OrderId, string LeafPem, string IntermediatesPem);

/// <summary>An external account binding key (RFC 8555 §7.3.4), stored in <c>acme_external_account_keys</c>.</summary>
/// <param name="Id">The key id the client puts in the EAB <c>kid</c>.</param>
/// <param name="ProvisionerId">The provisioner it belongs to.</param>
/// <param name="Reference">An optional operator reference.</param>
/// <param name="AccountId">The bound account, or empty.</param>
/// <param name="HmacKey">The MAC key; emptied once bound.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="BoundAt">Binding time, or <see cref="DateTimeOffset.MinValue"/>.</param>
public sealed record AcmeExternalAccountKey(string Id, string ProvisionerId, string Reference, string AccountId, byte[] HmacKey, DateTimeOffset CreatedAt, DateTimeOffset BoundAt)
{
    /// <summary>True once an account is bound to it.</summary>
    public bool IsBound => AccountId.Length > 0 || BoundAt != DateTimeOffset.MinValue;
}

/// <summary>A value as read, with the exact bytes stored: updates compare-and-swap against <see cref="Raw"/>, so a concurrent write on any node is detected.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Value">The decoded value.</param>
/// <param name="Raw">The stored bytes.</param>
public sealed record AcmeVersioned<T>(T Value, byte[] Raw);

/// <summary>
/// A new order's claim to replace a certificate (RFC 9773 §5 <c>replaces</c>): recorded with the order,
/// so a certificate is replaced by one order at a time.
/// </summary>
/// <param name="CertificateId">The ACME certificate (<c>acme_certs</c> id) being replaced.</param>
/// <param name="Current">The order recorded as its replacement when read (one that failed, to take over), or null.</param>
public sealed record AcmeReplacement(string CertificateId, AcmeVersioned<string>? Current);
