using Smallstep.Pki.Issuance.Recording;

namespace Smallstep.Pki.Acme;

/// <summary>
/// ACME state in step-ca's tables and encodings (storage.md §5). Thread-safe; every method is
/// atomic. Updates are optimistic: they compare-and-swap against the bytes read
/// (<see cref="AcmeVersioned{T}.Raw"/>) and return false when another writer, on this node or
/// another sharing the database, changed the record meanwhile.
/// </summary>
public interface IAcmeStore
{
    /// <summary>
    /// The key that authenticates this CA's nonces (RFC 8555 §7.2): 32 random bytes, created by the
    /// first node that asks and then the same for every node sharing the database, so any node can
    /// check a nonce another issued without a lookup.
    /// </summary>
    ValueTask<ReadOnlyMemory<byte>> GetOrCreateNonceKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that an authenticated, unexpired nonce was used: true exactly once per nonce, across
    /// every node (an insert that fails when the nonce is already recorded). The record is kept until
    /// <paramref name="expiresAt"/> has passed, after which the nonce is refused by its own expiry.
    /// </summary>
    ValueTask<bool> UseNonceAsync(string nonce, DateTimeOffset usedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates an account and its key index entry in one transaction; when <paramref name="binding"/>
    /// is given, the external account key is bound in the same transaction (compare-and-swap on it).
    /// Returns false when the key already has an account or the binding key changed meanwhile.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="keyThumbprint">Its key's RFC 7638 SHA-256 thumbprint, base64url: the <c>acme_keyID_accountID_index</c> key.</param>
    /// <param name="binding">The external account key to bind, as read, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<bool> CreateAccountAsync(AcmeAccount account, string keyThumbprint, AcmeVersioned<AcmeExternalAccountKey>? binding = null, CancellationToken cancellationToken = default);

    /// <summary>The account, or null.</summary>
    ValueTask<AcmeVersioned<AcmeAccount>?> GetAccountAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The account whose key has this RFC 7638 thumbprint, or null.</summary>
    ValueTask<AcmeVersioned<AcmeAccount>?> GetAccountByKeyThumbprintAsync(string thumbprint, CancellationToken cancellationToken = default);

    /// <summary>Replaces the account if unchanged since read (contacts, deactivation).</summary>
    ValueTask<bool> UpdateAccountAsync(AcmeVersioned<AcmeAccount> current, AcmeAccount updated, CancellationToken cancellationToken = default);

    /// <summary>
    /// Key rollover (RFC 8555 §7.3.5): in one transaction, inserts the new thumbprint's index entry
    /// (only if absent), deletes the old one and replaces the account (only if unchanged). False when
    /// either condition fails.
    /// </summary>
    ValueTask<bool> ChangeAccountKeyAsync(AcmeVersioned<AcmeAccount> current, AcmeAccount updated, string oldThumbprint, string newThumbprint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates an order with its authorizations and challenges and appends it to the account's
    /// order index, all in one transaction; the index is updated by compare-and-swap and retried, so
    /// concurrent orders of one account on several nodes never lose an entry.
    /// </summary>
    /// <returns>False only when <paramref name="replacement"/> lost: another order claimed the certificate since it was read.</returns>
    ValueTask<bool> CreateOrderAsync(AcmeOrder order, IReadOnlyList<AcmeAuthorization> authorizations, IReadOnlyList<AcmeChallenge> challenges,
        AcmeReplacement? replacement = null, CancellationToken cancellationToken = default);

    /// <summary>The id of the order recorded as replacing the ACME certificate <paramref name="certificateId"/> (RFC 9773 §5), or null.</summary>
    ValueTask<AcmeVersioned<string>?> GetReplacingOrderIdAsync(string certificateId, CancellationToken cancellationToken = default);

    /// <summary>The order, or null.</summary>
    ValueTask<AcmeVersioned<AcmeOrder>?> GetOrderAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the order if unchanged since read.</summary>
    ValueTask<bool> UpdateOrderAsync(AcmeVersioned<AcmeOrder> current, AcmeOrder updated, CancellationToken cancellationToken = default);

    /// <summary>The ids in the account's order index (<c>acme_account_orders_index</c>), oldest first.</summary>
    ValueTask<IReadOnlyList<string>> GetOrderIdsAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>The authorization, or null.</summary>
    ValueTask<AcmeVersioned<AcmeAuthorization>?> GetAuthorizationAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the authorization if unchanged since read.</summary>
    ValueTask<bool> UpdateAuthorizationAsync(AcmeVersioned<AcmeAuthorization> current, AcmeAuthorization updated, CancellationToken cancellationToken = default);

    /// <summary>The challenge, or null.</summary>
    ValueTask<AcmeVersioned<AcmeChallenge>?> GetChallengeAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the challenge if unchanged since read.</summary>
    ValueTask<bool> UpdateChallengeAsync(AcmeVersioned<AcmeChallenge> current, AcmeChallenge updated, CancellationToken cancellationToken = default);

    /// <summary>The ACME certificate, or null.</summary>
    ValueTask<AcmeCertificate?> GetCertificateAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The ACME certificate id of a decimal serial (<c>acme_serial_certs_index</c>), or null.</summary>
    ValueTask<string?> GetCertificateIdBySerialAsync(string serialDecimal, CancellationToken cancellationToken = default);

    /// <summary>The external account key, or null.</summary>
    ValueTask<AcmeVersioned<AcmeExternalAccountKey>?> GetExternalAccountKeyAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Stores a new external account key with its reference and provisioner indexes.</summary>
    ValueTask CreateExternalAccountKeyAsync(AcmeExternalAccountKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The external account keys of a provisioner (<c>acme_external_account_keyID_provisionerID_index</c>),
    /// oldest first; with <paramref name="reference"/>, only the key with that reference (none or one).
    /// </summary>
    ValueTask<IReadOnlyList<AcmeExternalAccountKey>> ListExternalAccountKeysAsync(string provisionerId, string? reference = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an external account key of <paramref name="provisionerId"/> with its reference and
    /// provisioner index entries in one transaction, as step-ca's <c>DeleteExternalAccountKey</c>
    /// does (an account already bound by it keeps working). False when the provisioner has no such key.
    /// </summary>
    ValueTask<bool> DeleteExternalAccountKeyAsync(string provisionerId, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The recording step of a finalize: marks <paramref name="current"/> as <paramref name="valid"/>
    /// (compare-and-swap on the order as read) and, once the leaf is signed, writes its
    /// <c>acme_certs</c> row (id = <paramref name="valid"/>'s certificate id) and
    /// <c>acme_serial_certs_index</c> row, all in the certificate's transaction.
    /// </summary>
    /// <param name="current">The order as read (status <c>ready</c> or <c>processing</c>).</param>
    /// <param name="valid">The order as it must be stored: status valid, certificate id set.</param>
    /// <param name="intermediatesPem">The issuing chain, concatenated PEM, stored with the leaf.</param>
    /// <param name="issuedAt">The issuance time.</param>
    IIssuedCertificateRecordingStep FinalizeOrder(AcmeVersioned<AcmeOrder> current, AcmeOrder valid, string intermediatesPem, DateTimeOffset issuedAt);
}
