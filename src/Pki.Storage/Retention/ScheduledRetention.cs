using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Storage.Retention;

/// <summary>
/// Runs <see cref="StorePruner"/> on a timer of <see cref="RetentionOptions.Schedule"/>, the first time
/// <see cref="FirstRunDelay"/> after <see cref="Start"/> (or one schedule, if shorter), with the cutoff
/// "now − <see cref="RetentionOptions.KeepExpiredFor"/>". A run still going when the next is due makes
/// that one skip; a failed run is logged and retried at the next schedule, never thrown. The shape of
/// a hosted service (start, stop); the host adapts it to <c>IHostedService</c>. Thread-safe.
/// </summary>
public sealed class ScheduledRetention : IAsyncDisposable
{
    /// <summary>Delay before the first run: long enough for the CA to finish starting.</summary>
    public static readonly TimeSpan FirstRunDelay = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly StorePruner _pruner;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private Task _run = Task.CompletedTask;
    private bool _stopped;

    /// <summary>Creates the schedule; nothing runs before <see cref="Start"/>.</summary>
    public ScheduledRetention(IKeyValueStore store, RetentionOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        _pruner = new StorePruner(store, _time);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The run in progress or the last one (completed when none ran); for tests and shutdown.</summary>
    internal Task CurrentRun
    {
        get
        {
            lock (_gate)
            {
                return _run;
            }
        }
    }

    /// <summary>Starts the timer (idempotent).</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_timer is not null)
            {
                return;
            }
            var first = _options.Schedule < FirstRunDelay ? _options.Schedule : FirstRunDelay;
            _timer = _time.CreateTimer(_ => OnTimer(), null, first, _options.Schedule);
        }
        RetentionLog.Scheduled(_logger, GoDuration.Format(_options.Schedule), GoDuration.Format(_options.KeepExpiredFor));
    }

    /// <summary>Stops the timer, cancels a run in progress and waits for it (at most until <paramref name="cancellationToken"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task run;
        lock (_gate)
        {
            _stopped = true;
            _timer?.Dispose();
            _timer = null;
            run = _run;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await run.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            if (!_run.IsCompleted)
            {
                RetentionLog.Skipped(_logger);
                return;
            }
            _run = Task.Run(() => RunOnceAsync(_stopping.Token));
        }
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var cutoff = _time.GetUtcNow() - _options.KeepExpiredFor;
            var report = await _pruner.PruneAsync(new PruneOptions { ExpiredBefore = cutoff, BatchSize = _options.BatchSize }, cancellationToken).ConfigureAwait(false);
            RetentionLog.Completed(_logger, report.TotalRemoved, cutoff, string.Join(", ", report.Removed.Select(r => $"{r.Key} {r.Value}")));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // A background prune must never take the CA down; the failure is logged and retried.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RetentionLog.Failed(_logger, ex);
        }
    }
}
