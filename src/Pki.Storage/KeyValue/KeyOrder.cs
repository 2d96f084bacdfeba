namespace Smallstep.Pki.Storage.KeyValue;

/// <summary>
/// Orders keys by unsigned byte value, shorter first on a common prefix: the order of SQLite's BLOB
/// comparison (<c>memcmp</c>) and of PostgreSQL's BYTEA, so every backend lists in the same order.
/// </summary>
internal sealed class KeyOrder : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    /// <summary>The shared instance.</summary>
    public static KeyOrder Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

    /// <inheritdoc />
    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    /// <inheritdoc />
    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
