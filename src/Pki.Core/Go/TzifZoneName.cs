using System.Buffers.Binary;
using System.Text;

namespace Smallstep.Pki.Go;

/// <summary>
/// One local time type of a TZif file (RFC 8536 §3.2): abbreviation, UT offset and DST flag.
/// <see cref="Read"/> lists them most recently used first, which is the order Go's zone lookup
/// effectively prefers for current dates.
/// </summary>
internal sealed record TzifZoneName(string Abbreviation, int Offset, bool IsDaylight)
{
    private const string ZoneDirectory = "/usr/share/zoneinfo";
    private const int MaxFileBytes = 1 << 20;

    /// <summary>The zone types of <c>/usr/share/zoneinfo/&lt;name&gt;</c>, or none when it cannot be read (the caller validated the name).</summary>
    public static IReadOnlyList<TzifZoneName> Read(string name)
    {
        try
        {
            var path = Path.Combine(ZoneDirectory, name);
            var info = new FileInfo(path);
            return info.Exists && info.Length <= MaxFileBytes ? Parse(File.ReadAllBytes(path)) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return [];
        }
    }

    /// <summary>Parses TZif v1-v4 data; malformed data yields an empty list.</summary>
    public static IReadOnlyList<TzifZoneName> Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < 44 || !data[..4].SequenceEqual("TZif"u8))
        {
            return [];
        }

        var version = data[4];
        var block = data;
        var timeSize = 4;
        if (version >= (byte)'2')
        {
            // RFC 8536 §3: skip the v1 data block; the v2+ header and 64-bit block follow it.
            var v1Length = BlockLength(data, 4);
            if (v1Length < 0 || 44 + v1Length + 44 > data.Length)
            {
                return [];
            }

            block = data[(44 + v1Length)..];
            timeSize = 8;
        }

        var counts = Counts(block);
        var length = BlockLength(block, timeSize);
        if (length < 0 || 44 + length > block.Length)
        {
            return [];
        }

        var body = block[44..];
        var indices = body.Slice(counts.Time * timeSize, counts.Time);
        var types = body.Slice(counts.Time * (timeSize + 1), counts.Type * 6);
        var chars = body.Slice(counts.Time * (timeSize + 1) + counts.Type * 6, counts.Chars);

        var lastUse = Enumerable.Repeat(-1, counts.Type).ToArray();
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] < counts.Type)
            {
                lastUse[indices[i]] = i;
            }
        }

        var result = new List<(TzifZoneName Name, int LastUse)>();
        for (var i = 0; i < counts.Type; i++)
        {
            var entry = types.Slice(i * 6, 6);
            var abbreviationIndex = entry[5];
            if (abbreviationIndex >= chars.Length)
            {
                return [];
            }

            var end = chars[abbreviationIndex..].IndexOf((byte)0);
            var abbreviation = Encoding.ASCII.GetString(end < 0 ? chars[abbreviationIndex..] : chars.Slice(abbreviationIndex, end));
            result.Add((new TzifZoneName(abbreviation, BinaryPrimitives.ReadInt32BigEndian(entry), entry[4] != 0), lastUse[i]));
        }

        return result.OrderByDescending(r => r.LastUse).Select(r => r.Name).ToList();
    }

    private static (int IsUt, int IsStd, int Leap, int Time, int Type, int Chars) Counts(ReadOnlySpan<byte> header) =>
        (Count(header, 0), Count(header, 1), Count(header, 2), Count(header, 3), Count(header, 4), Count(header, 5));

    private static int Count(ReadOnlySpan<byte> header, int i) =>
        (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(header[(20 + i * 4)..]), int.MaxValue / 16);

    private static int BlockLength(ReadOnlySpan<byte> header, int timeSize)
    {
        var c = Counts(header);
        var length = (long)c.Time * (timeSize + 1) + c.Type * 6L + c.Chars + c.Leap * (timeSize + 4L) + c.IsStd + c.IsUt;
        return length > MaxFileBytes ? -1 : (int)length;
    }
}
