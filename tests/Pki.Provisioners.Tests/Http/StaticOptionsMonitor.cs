using Microsoft.Extensions.Options;

namespace Smallstep.Pki.Tests.Http;

/// <summary>An options monitor whose current value the test edits in place.</summary>
internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
