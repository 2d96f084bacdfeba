using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Tests.Http;

/// <summary>One captured log entry.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>A logger provider that keeps every entry, for asserting on log output.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public void Clear() => _entries.Clear();

    /// <summary>
    /// The matching entries once there are <paramref name="count"/> of them. The request log line is
    /// written after the response, so a client can see the response first; this waits on the
    /// logger's signal (bounded), it does not sleep for a guessed time.
    /// </summary>
    public async Task<IReadOnlyList<LogEntry>> WaitForAsync(Func<LogEntry, bool> match, int count = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var changed = _changed;
            var found = Entries.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }
            await changed.Task.WaitAsync(timeout.Token);
        }
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

    private void Add(LogEntry entry)
    {
        _entries.Enqueue(entry);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
    }

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, CapturedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
