namespace Smallstep.Pki.Storage.Retention;

/// <summary>One kind of expired data a prune removes. Rules run one after another over one <see cref="PruneContext"/>.</summary>
internal interface IPruneRule
{
    /// <summary>Scans its tables and queues the deletions (a rule whose tables do not exist does nothing).</summary>
    Task RunAsync(PruneContext context);
}
