using Smallstep.Pki.Issuance.Recording;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// Commits a certificate's rows and a plan's recording steps in one key-value batch (nosql's
/// <c>Update(tx)</c>), and reads the steps' conditions for the early check. Shared by the X.509 and
/// SSH certificate stores. Thread-safe.
/// </summary>
internal sealed class KeyValueIssuanceRecorder(IKeyValueStore store)
{
    /// <summary>Throws the conflict of the first step whose compare-and-swap condition does not hold now.</summary>
    public async ValueTask CheckAsync(IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var step in steps)
        {
            foreach (var write in step.Writes)
            {
                if (write.Kind != KeyValueOperationKind.CompareAndSwap)
                {
                    continue;
                }
                var current = await store.GetAsync(write.Table, write.Key, cancellationToken).ConfigureAwait(false);
                var holds = write.Expected is { } expected ? current is not null && expected.Span.SequenceEqual(current) : current is null;
                if (!holds)
                {
                    throw step.Conflict();
                }
            }
        }
    }

    /// <summary>
    /// Applies the steps' writes, then <paramref name="recordWrites"/>, then what steps implementing
    /// <see cref="IIssuedCertificateRecordingStep"/> compute from <paramref name="issued"/> (X.509 only), all or nothing.
    /// </summary>
    public async ValueTask RecordAsync(IReadOnlyList<KeyValueOperation> recordWrites, IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken,
        StoredCertificate? issued = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var batch = new List<KeyValueOperation>(recordWrites.Count + steps.Count);
        var owners = new List<IRecordingStep>(steps.Count);
        foreach (var step in steps)
        {
            foreach (var write in step.Writes)
            {
                batch.Add(write);
                owners.Add(step);
            }
        }
        batch.AddRange(recordWrites);
        if (issued is not null)
        {
            foreach (var step in steps.OfType<IIssuedCertificateRecordingStep>())
            {
                batch.AddRange(step.WritesFor(issued));
            }
        }
        var result = await store.ApplyAsync(batch, cancellationToken).ConfigureAwait(false);
        if (!result.Committed)
        {
            throw result.FailedIndex >= 0 && result.FailedIndex < owners.Count
                ? owners[result.FailedIndex].Conflict()
                : Errors.PkiException.Internal("the issuance transaction was not committed");
        }
    }
}
