using System.Collections.Concurrent;

namespace Smallstep.Pki.Kms.Soft.Signing;

/// <summary>
/// A lock-free pool of native key objects that all hold the same key. .NET documents instance
/// members of <c>ECDsa</c>/<c>RSA</c> as not guaranteed thread-safe, so one object is never used by
/// two threads at once; renting from the pool instead of importing per call keeps the hot path
/// free of key imports. The pool grows to the peak concurrency and keeps at most
/// <c>2 × ProcessorCount</c> idle objects.
/// </summary>
internal sealed class KeyPool<T> : IDisposable
    where T : class, IDisposable
{
    private readonly ConcurrentBag<T> _idle = [];
    private readonly Func<T> _factory;
    private readonly int _maxIdle = Environment.ProcessorCount * 2;
    private int _idleCount;
    private volatile bool _disposed;

    /// <param name="first">An object already holding the key (kept, not re-created).</param>
    /// <param name="factory">Creates another object holding the same key.</param>
    public KeyPool(T first, Func<T> factory)
    {
        _factory = factory;
        _idle.Add(first);
        _idleCount = 1;
    }

    public Lease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var key))
        {
            Interlocked.Decrement(ref _idleCount);
            return new Lease(this, key);
        }
        return new Lease(this, _factory());
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Return(T key)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            if (!_disposed)
            {
                Interlocked.Decrement(ref _idleCount);
            }
            key.Dispose();
            return;
        }
        _idle.Add(key);
        if (_disposed)
        {
            Drain(); // lost the race with Dispose: do not leave a key behind
        }
    }

    private void Drain()
    {
        while (_idle.TryTake(out var key))
        {
            key.Dispose();
        }
    }

    /// <summary>One rented key; dispose to give it back.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly KeyPool<T> _pool;

        internal Lease(KeyPool<T> pool, T key)
        {
            _pool = pool;
            Key = key;
        }

        public T Key { get; }

        public void Dispose() => _pool.Return(Key);
    }
}
