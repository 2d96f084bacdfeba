using System.Text;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Storage.Authority;

namespace Smallstep.Pki.Storage.Acme;

/// <summary>
/// <see cref="IAcmeStore"/> over step-ca's ACME tables (<see cref="AcmeTables"/>) in its encodings
/// (<see cref="AcmeRowJson"/>), so a step-ca database opens unchanged. Every update is a
/// compare-and-swap against the bytes read; multi-row changes are one <see cref="IKeyValueStore.ApplyAsync"/>
/// batch. Thread-safe.
/// </summary>
/// <param name="store">The key-value store; <see cref="AcmeTables.TableSet"/> must exist in it.</param>
public sealed class KeyValueAcmeStore(IKeyValueStore store) : IAcmeStore
{
    // Orders of one account racing on the index retry this often before giving up (a 500 would follow).
    private const int MaxIndexAttempts = 64;

    private readonly IKeyValueStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    public async ValueTask<AcmeVersioned<string>?> GetReplacingOrderIdAsync(string certificateId, CancellationToken cancellationToken = default)
    {
        if (!TryKey(certificateId, out var key))
        {
            return null;
        }
        var raw = await _store.GetAsync(AcmeTables.ReplacedCertificatesIndex, key, cancellationToken).ConfigureAwait(false);
        return raw is null ? null : new AcmeVersioned<string>(Encoding.UTF8.GetString(raw), raw);
    }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> GetOrCreateNonceKeyAsync(CancellationToken cancellationToken = default)
    {
        var key = Key(AcmeTables.NonceKeyName);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await _store.GetAsync(AcmeTables.NonceKeys, key, cancellationToken).ConfigureAwait(false) is { } raw)
            {
                return AcmeRowJson.ReadNonceKey(raw);
            }
            // Two nodes starting at once: the insert of one wins, the other reads the winner's key.
            var fresh = AcmeRowJson.NonceKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            if ((await _store.CompareAndSwapAsync(AcmeTables.NonceKeys, key, null, fresh, cancellationToken).ConfigureAwait(false)).Swapped)
            {
                return AcmeRowJson.ReadNonceKey(fresh);
            }
        }
        throw Errors.PkiException.Internal("the ACME nonce key could not be read or created");
    }

    /// <inheritdoc />
    public async ValueTask<bool> UseNonceAsync(string nonce, DateTimeOffset usedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        if (!TryKey(nonce, out var key))
        {
            return false;
        }
        // Insert-if-absent: of two concurrent users of one nonce (any node) exactly one inserts.
        var result = await _store.CompareAndSwapAsync(AcmeTables.Nonces, key, null, AcmeRowJson.UsedNonce(nonce, usedAt, expiresAt), cancellationToken).ConfigureAwait(false);
        return result.Swapped;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAccountAsync(AcmeAccount account, string keyThumbprint, AcmeVersioned<AcmeExternalAccountKey>? binding = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        List<KeyValueOperation> batch =
        [
            KeyValueOperation.CompareAndSwap(AcmeTables.AccountByKeyIdIndex, Key(keyThumbprint), null, Encoding.UTF8.GetBytes(account.Id)),
            KeyValueOperation.CompareAndSwap(AcmeTables.Accounts, Key(account.Id), null, AcmeRowJson.Account(account)),
        ];
        if (binding is not null)
        {
            var bound = binding.Value with { AccountId = account.Id, HmacKey = [], BoundAt = account.CreatedAt };
            batch.Add(KeyValueOperation.CompareAndSwap(AcmeTables.ExternalAccountKeys, Key(bound.Id), binding.Raw, AcmeRowJson.ExternalAccountKey(bound)));
        }
        return (await _store.ApplyAsync(batch, cancellationToken).ConfigureAwait(false)).Committed;
    }

    /// <inheritdoc />
    public ValueTask<AcmeVersioned<AcmeAccount>?> GetAccountAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync(AcmeTables.Accounts, id, AcmeRowJson.ReadAccount, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<AcmeVersioned<AcmeAccount>?> GetAccountByKeyThumbprintAsync(string thumbprint, CancellationToken cancellationToken = default)
    {
        if (!TryKey(thumbprint, out var key))
        {
            return null;
        }
        var id = await _store.GetAsync(AcmeTables.AccountByKeyIdIndex, key, cancellationToken).ConfigureAwait(false);
        return id is null ? null : await GetAccountAsync(Encoding.UTF8.GetString(id), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAccountAsync(AcmeVersioned<AcmeAccount> current, AcmeAccount updated, CancellationToken cancellationToken = default) =>
        SwapAsync(AcmeTables.Accounts, current, updated, updated.Id, AcmeRowJson.Account, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> ChangeAccountKeyAsync(AcmeVersioned<AcmeAccount> current, AcmeAccount updated, string oldThumbprint, string newThumbprint,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updated);
        var accountId = Encoding.UTF8.GetBytes(updated.Id);
        var result = await _store.ApplyAsync(
        [
            KeyValueOperation.CompareAndSwap(AcmeTables.Accounts, Key(updated.Id), current.Raw, AcmeRowJson.Account(updated)),
            KeyValueOperation.CompareAndSwap(AcmeTables.AccountByKeyIdIndex, Key(newThumbprint), null, accountId),
            KeyValueOperation.CompareAndSwap(AcmeTables.AccountByKeyIdIndex, Key(oldThumbprint), accountId, accountId),
            KeyValueOperation.Delete(AcmeTables.AccountByKeyIdIndex, Key(oldThumbprint)),
        ], cancellationToken).ConfigureAwait(false);
        return result.Committed;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateOrderAsync(AcmeOrder order, IReadOnlyList<AcmeAuthorization> authorizations, IReadOnlyList<AcmeChallenge> challenges,
        AcmeReplacement? replacement = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(authorizations);
        ArgumentNullException.ThrowIfNull(challenges);
        var rows = new List<KeyValueOperation>(1 + authorizations.Count + challenges.Count)
        {
            KeyValueOperation.CompareAndSwap(AcmeTables.Orders, Key(order.Id), null, AcmeRowJson.Order(order)),
        };
        rows.AddRange(authorizations.Select(a => KeyValueOperation.CompareAndSwap(AcmeTables.Authorizations, Key(a.Id), null, AcmeRowJson.Authorization(a))));
        rows.AddRange(challenges.Select(c => KeyValueOperation.CompareAndSwap(AcmeTables.Challenges, Key(c.Id), null, AcmeRowJson.Challenge(c))));
        var replacementRow = rows.Count + 1;
        if (replacement is not null)
        {
            rows.Add(KeyValueOperation.CompareAndSwap(AcmeTables.ReplacedCertificatesIndex, Key(replacement.CertificateId), Expected(replacement.Current?.Raw),
                Encoding.UTF8.GetBytes(order.Id)));
        }
        var indexKey = Key(order.AccountId);
        for (var attempt = 0; attempt < MaxIndexAttempts; attempt++)
        {
            var raw = await _store.GetAsync(AcmeTables.AccountOrdersIndex, indexKey, cancellationToken).ConfigureAwait(false);
            var ids = AcmeRowJson.ReadIds(raw, AcmeTables.AccountOrdersIndex);
            ids.Add(order.Id);
            var result = await _store.ApplyAsync([KeyValueOperation.CompareAndSwap(AcmeTables.AccountOrdersIndex, indexKey, Expected(raw), AcmeRowJson.Ids(ids)), .. rows], cancellationToken)
                .ConfigureAwait(false);
            if (result.Committed)
            {
                return true;
            }
            if (replacement is not null && result.FailedIndex == replacementRow)
            {
                return false;
            }
            if (result.FailedIndex != 0)
            {
                throw PkiException.Conflict($"ACME order {order.Id} or one of its authorizations or challenges already exists");
            }
        }
        throw PkiException.Conflict($"the order index of ACME account {order.AccountId} kept changing; try again");
    }

    /// <inheritdoc />
    public ValueTask<AcmeVersioned<AcmeOrder>?> GetOrderAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync(AcmeTables.Orders, id, AcmeRowJson.ReadOrder, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> UpdateOrderAsync(AcmeVersioned<AcmeOrder> current, AcmeOrder updated, CancellationToken cancellationToken = default) =>
        SwapAsync(AcmeTables.Orders, current, updated, updated.Id, AcmeRowJson.Order, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> GetOrderIdsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        if (!TryKey(accountId, out var key))
        {
            return [];
        }
        var raw = await _store.GetAsync(AcmeTables.AccountOrdersIndex, key, cancellationToken).ConfigureAwait(false);
        return AcmeRowJson.ReadIds(raw, AcmeTables.AccountOrdersIndex);
    }

    /// <inheritdoc />
    public ValueTask<AcmeVersioned<AcmeAuthorization>?> GetAuthorizationAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync(AcmeTables.Authorizations, id, AcmeRowJson.ReadAuthorization, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> UpdateAuthorizationAsync(AcmeVersioned<AcmeAuthorization> current, AcmeAuthorization updated, CancellationToken cancellationToken = default) =>
        SwapAsync(AcmeTables.Authorizations, current, updated, updated.Id, AcmeRowJson.Authorization, cancellationToken);

    /// <inheritdoc />
    public ValueTask<AcmeVersioned<AcmeChallenge>?> GetChallengeAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync(AcmeTables.Challenges, id, AcmeRowJson.ReadChallenge, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> UpdateChallengeAsync(AcmeVersioned<AcmeChallenge> current, AcmeChallenge updated, CancellationToken cancellationToken = default) =>
        SwapAsync(AcmeTables.Challenges, current, updated, updated.Id, AcmeRowJson.Challenge, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<AcmeCertificate?> GetCertificateAsync(string id, CancellationToken cancellationToken = default) =>
        (await GetAsync(AcmeTables.Certificates, id, AcmeRowJson.ReadCertificate, cancellationToken).ConfigureAwait(false))?.Value;

    /// <inheritdoc />
    public async ValueTask<string?> GetCertificateIdBySerialAsync(string serialDecimal, CancellationToken cancellationToken = default)
    {
        if (!TryKey(serialDecimal, out var key))
        {
            return null;
        }
        var raw = await _store.GetAsync(AcmeTables.SerialCertificatesIndex, key, cancellationToken).ConfigureAwait(false);
        return raw is null ? null : AcmeRowJson.ReadSerialCertificateId(raw);
    }

    /// <inheritdoc />
    public ValueTask<AcmeVersioned<AcmeExternalAccountKey>?> GetExternalAccountKeyAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync(AcmeTables.ExternalAccountKeys, id, AcmeRowJson.ReadExternalAccountKey, cancellationToken);

    /// <inheritdoc />
    public async ValueTask CreateExternalAccountKeyAsync(AcmeExternalAccountKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var indexKey = Key(key.ProvisionerId);
        List<KeyValueOperation> rows = [KeyValueOperation.CompareAndSwap(AcmeTables.ExternalAccountKeys, Key(key.Id), null, AcmeRowJson.ExternalAccountKey(key))];
        if (key.Reference.Length > 0)
        {
            rows.Add(KeyValueOperation.CompareAndSwap(AcmeTables.ExternalAccountKeyReferenceIndex, Key($"{key.ProvisionerId}.{key.Reference}"), null,
                AcmeRowJson.ExternalAccountKeyReference(key.Reference, key.Id)));
        }
        for (var attempt = 0; attempt < MaxIndexAttempts; attempt++)
        {
            var raw = await _store.GetAsync(AcmeTables.ExternalAccountKeyProvisionerIndex, indexKey, cancellationToken).ConfigureAwait(false);
            var ids = AcmeRowJson.ReadIds(raw, AcmeTables.ExternalAccountKeyProvisionerIndex);
            ids.Add(key.Id);
            var result = await _store.ApplyAsync([KeyValueOperation.CompareAndSwap(AcmeTables.ExternalAccountKeyProvisionerIndex, indexKey, Expected(raw), AcmeRowJson.Ids(ids)), .. rows],
                cancellationToken).ConfigureAwait(false);
            if (result.Committed)
            {
                return;
            }
            if (result.FailedIndex != 0)
            {
                throw PkiException.Conflict($"an external account key with id {key.Id} or reference {key.Reference} already exists");
            }
        }
        throw PkiException.Conflict($"the key index of provisioner {key.ProvisionerId} kept changing; try again");
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AcmeExternalAccountKey>> ListExternalAccountKeysAsync(string provisionerId, string? reference = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(provisionerId);
        IEnumerable<string> ids;
        if (reference is not null)
        {
            var indexed = TryKey($"{provisionerId}.{reference}", out var referenceKey)
                ? await _store.GetAsync(AcmeTables.ExternalAccountKeyReferenceIndex, referenceKey, cancellationToken).ConfigureAwait(false)
                : null;
            ids = indexed is null ? [] : [AcmeRowJson.ReadExternalAccountKeyReference(indexed)];
        }
        else
        {
            ids = TryKey(provisionerId, out var indexKey)
                ? AcmeRowJson.ReadIds(await _store.GetAsync(AcmeTables.ExternalAccountKeyProvisionerIndex, indexKey, cancellationToken).ConfigureAwait(false),
                    AcmeTables.ExternalAccountKeyProvisionerIndex)
                : [];
        }
        var keys = new List<AcmeExternalAccountKey>();
        foreach (var id in ids)
        {
            // An index entry whose key row is gone (deleted by an older step-ca) is skipped, as step-ca skips it.
            if (await GetExternalAccountKeyAsync(id, cancellationToken).ConfigureAwait(false) is { Value: var key } && key.ProvisionerId == provisionerId)
            {
                keys.Add(key);
            }
        }
        return keys;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteExternalAccountKeyAsync(string provisionerId, string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(provisionerId);
        if (!TryKey(provisionerId, out var indexKey))
        {
            return false;
        }
        for (var attempt = 0; attempt < MaxIndexAttempts; attempt++)
        {
            if (await GetExternalAccountKeyAsync(id, cancellationToken).ConfigureAwait(false) is not { } current || current.Value.ProvisionerId != provisionerId)
            {
                return false;
            }
            var raw = await _store.GetAsync(AcmeTables.ExternalAccountKeyProvisionerIndex, indexKey, cancellationToken).ConfigureAwait(false);
            var ids = AcmeRowJson.ReadIds(raw, AcmeTables.ExternalAccountKeyProvisionerIndex);
            ids.RemoveAll(i => i == id);
            List<KeyValueOperation> batch =
            [
                KeyValueOperation.CompareAndSwap(AcmeTables.ExternalAccountKeys, Key(id), current.Raw, current.Raw),
                KeyValueOperation.Delete(AcmeTables.ExternalAccountKeys, Key(id)),
            ];
            if (raw is not null)
            {
                batch.Add(KeyValueOperation.CompareAndSwap(AcmeTables.ExternalAccountKeyProvisionerIndex, indexKey, raw, AcmeRowJson.Ids(ids)));
            }
            if (current.Value.Reference.Length > 0)
            {
                batch.Add(KeyValueOperation.Delete(AcmeTables.ExternalAccountKeyReferenceIndex, Key($"{provisionerId}.{current.Value.Reference}")));
            }
            if ((await _store.ApplyAsync(batch, cancellationToken).ConfigureAwait(false)).Committed)
            {
                return true;
            }
        }
        throw PkiException.Conflict($"the key index of provisioner {provisionerId} kept changing; try again");
    }

    /// <inheritdoc />
    public IIssuedCertificateRecordingStep FinalizeOrder(AcmeVersioned<AcmeOrder> current, AcmeOrder valid, string intermediatesPem, DateTimeOffset issuedAt) =>
        new AcmeOrderFinalization(current, valid, intermediatesPem, issuedAt);

    private async ValueTask<AcmeVersioned<T>?> GetAsync<T>(string table, string id, Func<byte[], T> read, CancellationToken cancellationToken) where T : class
    {
        if (!TryKey(id, out var key))
        {
            return null;
        }
        var raw = await _store.GetAsync(table, key, cancellationToken).ConfigureAwait(false);
        return raw is null ? null : new AcmeVersioned<T>(read(raw), raw);
    }

    private async ValueTask<bool> SwapAsync<T>(string table, AcmeVersioned<T> current, T updated, string id, Func<T, byte[]> encode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updated);
        var result = await _store.CompareAndSwapAsync(table, Key(id), current.Raw, encode(updated), cancellationToken).ConfigureAwait(false);
        return result.Swapped;
    }

    // IDs come from URLs: anything that is not a possible key is simply not found.
    private static bool TryKey(string? id, out byte[] key)
    {
        key = id is null ? [] : Encoding.UTF8.GetBytes(id);
        return key.Length is > 0 and <= KeyValue.KeyValueArguments.MaxKeyLength;
    }

    // A null byte[] would convert to an empty, present value; absent must stay null.
    private static ReadOnlyMemory<byte>? Expected(byte[]? raw) => raw is null ? default(ReadOnlyMemory<byte>?) : raw;

    private static byte[] Key(string id) => StorageKeys.Text(id, "ACME key");
}
