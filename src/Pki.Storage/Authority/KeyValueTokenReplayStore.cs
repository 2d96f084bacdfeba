using System.Text;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// <see cref="ITokenReplayStore"/> over step-ca's <c>used_ott</c> table (replay key → the raw token),
/// inserted with compare-and-swap against "absent" like step-ca's <c>UseToken</c> (certificates
/// db/db.go). Thread-safe; shared by every node on the same database.
/// </summary>
/// <param name="store">The key-value store; its <see cref="StepTables.Authority"/> tables must exist.</param>
public sealed class KeyValueTokenReplayStore(IKeyValueStore store) : ITokenReplayStore
{
    private readonly IKeyValueStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc />
    /// <exception cref="Errors.PkiException">Kind BadRequest: the replay key is empty or longer than 255 bytes in UTF-8.</exception>
    public async ValueTask<bool> TryUseAsync(string replayKey, string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var key = StorageKeys.Text(replayKey, "token replay key");
        var result = await _store.CompareAndSwapAsync(StepTables.UsedOtt, key, null, Encoding.UTF8.GetBytes(token), cancellationToken).ConfigureAwait(false);
        return result.Swapped;
    }

    /// <inheritdoc />
    /// <exception cref="Errors.PkiException">Kind BadRequest: the replay key is empty or longer than 255 bytes in UTF-8.</exception>
    public async ValueTask<bool> IsUsedAsync(string replayKey, CancellationToken cancellationToken = default) =>
        await _store.GetAsync(StepTables.UsedOtt, StorageKeys.Text(replayKey, "token replay key"), cancellationToken).ConfigureAwait(false) is not null;
}
