using System.Text;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// Receives what an in-process host's console logger writes. The console logger keeps the
/// <see cref="Console.Out"/> it saw when it was created, so <see cref="ServedPki"/> swaps this writer
/// in while the host starts. The logger writes from its own thread, so tests wait for a line with a
/// bounded, event-driven wait (<see cref="WaitForLineAsync"/>) rather than sleeping.
/// </summary>
internal sealed class LogCapture : TextWriter
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The complete lines written so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>A position to search from, so a test only looks at what its own request caused.</summary>
    public int Mark()
    {
        lock (_gate)
        {
            return _lines.Count;
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        TaskCompletionSource changed;
        lock (_gate)
        {
            foreach (var c in value)
            {
                if (c == '\n')
                {
                    _lines.Add(_partial.ToString().TrimEnd('\r'));
                    _partial.Clear();
                }
                else
                {
                    _partial.Append(c);
                }
            }
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>The first line at or after <paramref name="mark"/> matching <paramref name="match"/>; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(int mark, Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = _lines.Skip(mark).FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("expected log line not written; log since the mark:\n" + string.Join('\n', Lines.Skip(mark)));
            }
        }
    }
}
