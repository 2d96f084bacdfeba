using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Retention;

namespace Smallstep.Pki.Host.Db;

/// <summary>
/// ca.json <c>db.retention</c> as a hosted service: starts <see cref="ScheduledRetention"/> with the
/// host and stops it (cancelling a prune in progress) on shutdown. Register it only when
/// <see cref="RetentionOptions.FromDatabaseConfig"/> returns options.
/// </summary>
internal sealed class RetentionHostedService(IKeyValueStore store, RetentionOptions options, TimeProvider time, ILogger<RetentionHostedService> logger) : IHostedService, IAsyncDisposable
{
    private readonly ScheduledRetention _retention = new(store, options, time, logger);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _retention.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _retention.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _retention.DisposeAsync();
}
