using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Retention;

namespace Smallstep.Pki.Host.Db;

/// <summary>
/// ca.json <c>db.retention</c> as a hosted service: starts <see cref="ScheduledRetention"/> with the
/// host and stops it (cancelling a prune in progress) on shutdown. Register it only when
/// <see cref="RetentionOptions.FromDatabaseConfig"/> returns options. The store is resolved in
/// <see cref="StartAsync"/>, after the authority's start-up step opened it.
/// </summary>
internal sealed class RetentionHostedService(Func<IKeyValueStore> store, RetentionOptions options, TimeProvider time, ILogger<RetentionHostedService> logger)
    : IHostedService, IAsyncDisposable
{
    private ScheduledRetention? _retention;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _retention ??= new ScheduledRetention(store(), options, time, logger);
        _retention.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _retention?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _retention?.DisposeAsync() ?? ValueTask.CompletedTask;
}
