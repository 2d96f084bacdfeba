using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Smallstep.Pki.Storage.Migration;

/// <summary>Computes <see cref="TableDigest"/>s by streaming a table once.</summary>
internal static class TableDigests
{
    /// <summary>The digest of <paramref name="table"/>, or <see cref="TableDigest.Missing"/> when <paramref name="exists"/> is false.</summary>
    public static async Task<TableDigest> ComputeAsync(IKeyValueStore store, string table, bool exists, CancellationToken cancellationToken)
    {
        if (!exists)
        {
            return TableDigest.Missing;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0;
        await foreach (var entry in store.ScanAsync(table, null, cancellationToken).ConfigureAwait(false))
        {
            Append(hash, entry.Key);
            Append(hash, entry.Value);
            rows++;
        }
        return new TableDigest(rows, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static void Append(IncrementalHash hash, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
