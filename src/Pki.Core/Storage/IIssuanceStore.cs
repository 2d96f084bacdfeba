using Smallstep.Pki.Issuance.Recording;

namespace Smallstep.Pki.Storage;

/// <summary>
/// Where the pipeline records what it issued, together with the plan's recording steps.
/// Thread-safe; <see cref="RecordAsync"/> is one transaction.
/// </summary>
/// <typeparam name="TRecord">What is recorded: an X.509 certificate row, or the SSH certificates of one request.</typeparam>
public interface IIssuanceStore<in TRecord>
{
    /// <summary>
    /// A cheap read that refuses early, before any signing work, when a recording step's condition
    /// already fails (a replayed token). Advisory: <see cref="RecordAsync"/> decides atomically.
    /// </summary>
    /// <exception cref="Errors.PkiException">The <see cref="IRecordingStep.Conflict"/> of the first step whose condition fails.</exception>
    ValueTask CheckAsync(IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="record"/> and every write of <paramref name="steps"/> in one
    /// transaction: after a crash either all of it exists or none. When a step's compare-and-swap
    /// condition does not hold nothing is written and that step's <see cref="IRecordingStep.Conflict"/> is thrown.
    /// </summary>
    ValueTask RecordAsync(TRecord record, IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken = default);
}
