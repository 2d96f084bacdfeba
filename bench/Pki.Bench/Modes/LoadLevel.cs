namespace Smallstep.Pki.Bench.Modes;

/// <summary>One load level: <see cref="Requests"/> timed requests from <see cref="Concurrency"/> callers.</summary>
internal sealed record LoadLevel(int Concurrency, int Requests)
{
    /// <summary>Requests sent untimed before the level (JIT, connection and key pools, TLS handshakes).</summary>
    public int Warmup => Math.Max(200, Concurrency * 10);
}
