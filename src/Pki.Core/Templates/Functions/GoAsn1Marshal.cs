using System.Globalization;
using System.Text;
using Smallstep.Pki.Go;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>An object identifier to marshal (Go's <c>asn1.ObjectIdentifier</c>).</summary>
internal sealed record Asn1ObjectIdentifier(long[] Components);

/// <summary>
/// Go's <c>encoding/asn1.MarshalWithParams</c> (marshal.go, common.go) over the template data
/// model: bool → BOOLEAN, integers → INTEGER, strings → PrintableString when every character
/// allows it, else UTF8String (or the string type the parameters name), times → UTCTime or,
/// outside 1950-2049 or with <c>generalized</c>, GeneralizedTime, lists → SEQUENCE (SET with
/// <c>set</c>, DER-sorted), and <see cref="Asn1ObjectIdentifier"/>. Parameters: <c>optional
/// explicit tag:N application private default:N set omitempty utc generalized printable ia5
/// numeric utf8</c>. Floats, maps and nil are refused with Go's messages.
/// </summary>
internal static class GoAsn1Marshal
{
    private const int TagBoolean = 1;
    private const int TagInteger = 2;
    private const int TagOid = 6;
    private const int TagUtf8String = 12;
    private const int TagSequence = 16;
    private const int TagSet = 17;
    private const int TagNumericString = 18;
    private const int TagPrintableString = 19;
    private const int TagIa5String = 22;
    private const int TagUtcTime = 23;
    private const int TagGeneralizedTime = 24;
    private const int MaxDepth = 64;

    public static byte[] Marshal(object? value, string parameters) => Field(value, Parse(parameters), 0);

    private static byte[] Field(object? value, Params p, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Structural($"value nests deeper than {MaxDepth} levels");
        }

        switch (value)
        {
            case null:
                throw new TemplateFunctionException("asn1: cannot marshal nil value");
            case IReadOnlyList<object?> { Count: 0 } when p.OmitEmpty:
                return [];
            case long l when p.Optional && l == (p.Default ?? 0):
            case string { Length: 0 } or false or Asn1ObjectIdentifier { Components.Length: 0 } when p.Optional && p.Default is null:
                return [];
        }

        if (p.Optional && p.Default is null && value is GoTime t && t == StepTimeFunctions.ZeroTime)
        {
            return [];
        }

        var (tag, compound) = value switch
        {
            bool => (TagBoolean, false),
            long => (TagInteger, false),
            string => (TagPrintableString, false),
            GoTime => (TagUtcTime, false),
            Asn1ObjectIdentifier => (TagOid, false),
            IReadOnlyList<object?> => (TagSequence, true),
            _ => throw Structural($"unknown Go type: {GoValues.TypeName(value)}"),
        };

        if (p.TimeType != 0 && tag != TagUtcTime)
        {
            throw Structural("explicit time type given to non-time member");
        }

        if (p.StringType != 0 && tag != TagPrintableString)
        {
            throw Structural("explicit string type given to non-string member");
        }

        if (value is string s)
        {
            tag = p.StringType != 0 ? p.StringType
                : s.All(c => c < 0x80 && IsPrintable((byte)c, asterisk: false, ampersand: false)) ? TagPrintableString : TagUtf8String;
        }
        else if (value is GoTime time && (p.TimeType == TagGeneralizedTime || OutsideUtcRange(time)))
        {
            tag = TagGeneralizedTime;
        }

        if (p.Set)
        {
            tag = tag == TagSequence ? TagSet : throw Structural("non sequence tagged as set");
        }

        var body = Body(value, tag, p, depth);
        if (p.Tag is not { } implicitTag)
        {
            return Tlv(0, tag, compound, body);
        }

        var cls = p.Application ? 1 : p.Private ? 3 : 2;
        return p.Explicit ? Tlv(cls, implicitTag, true, Tlv(0, tag, compound, body)) : Tlv(cls, implicitTag, compound, body);
    }

    private static byte[] Body(object value, int tag, Params p, int depth)
    {
        switch (value)
        {
            case bool b:
                return [b ? (byte)0xff : (byte)0];
            case long l:
                return Integer(l);
            case Asn1ObjectIdentifier oid:
                return ObjectIdentifier(oid.Components);
            case GoTime t:
                return Encoding.ASCII.GetBytes(Time(t, tag == TagGeneralizedTime));
            case IReadOnlyList<object?> list:
                var elements = list.Select(e => Field(e, default, depth + 1)).ToList();
                if (p.Set)
                {
                    elements.Sort((x, y) => x.AsSpan().SequenceCompareTo(y));
                }

                return elements.SelectMany(e => e).ToArray();
            default:
                var s = (string)value;
                var valid = p.StringType switch
                {
                    TagIa5String => s.All(c => c < 0x80) ? null : "IA5String contains invalid character",
                    TagPrintableString => s.All(c => c < 0x80 && IsPrintable((byte)c, asterisk: true, ampersand: false)) ? null : "PrintableString contains invalid character",
                    TagNumericString => s.All(c => c is (>= '0' and <= '9') or ' ') ? null : "NumericString contains invalid character",
                    _ => null,
                };
                return valid is null ? Encoding.UTF8.GetBytes(s) : throw Structural(valid);
        }
    }

    /// <summary>Go's <c>isPrintable</c> (PrintableString, X.680 §41.4) with its asterisk and ampersand allowances.</summary>
    public static bool IsPrintable(byte b, bool asterisk, bool ampersand) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (>= (byte)'\'' and <= (byte)')') or (>= (byte)'+' and <= (byte)'/') or (byte)' ' or (byte)':' or (byte)'=' or (byte)'?'
        || (asterisk && b == '*') || (ampersand && b == '&');

    private static bool OutsideUtcRange(GoTime t) => t.Civil().Year is < 1950 or >= 2050;

    /// <summary>UTCTime <c>YYMMDDhhmmssZ</c> or GeneralizedTime <c>YYYYMMDDhhmmssZ</c>, with <c>±hhmm</c> for non-UTC zones (Go's appendTimeCommon).</summary>
    private static string Time(GoTime t, bool generalized)
    {
        var c = t.Civil();
        var sb = new StringBuilder();
        if (generalized)
        {
            if (c.Year is < 0 or > 9999)
            {
                throw Structural("cannot represent time as GeneralizedTime");
            }

            sb.Append(c.Year.ToString("D4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append((c.Year % 100).ToString("D2", CultureInfo.InvariantCulture));
        }

        foreach (var field in new[] { c.Month, c.Day, c.Hour, c.Minute, c.Second })
        {
            sb.Append(field.ToString("D2", CultureInfo.InvariantCulture));
        }

        var offsetMinutes = t.Zone.Offset / 60;
        if (offsetMinutes == 0)
        {
            return sb.Append('Z').ToString();
        }

        sb.Append(t.Zone.Offset > 0 ? '+' : '-');
        offsetMinutes = Math.Abs(offsetMinutes);
        return sb.Append((offsetMinutes / 60).ToString("D2", CultureInfo.InvariantCulture))
            .Append((offsetMinutes % 60).ToString("D2", CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>The minimal two's-complement content octets of an INTEGER (X.690 §8.3).</summary>
    private static byte[] Integer(long value)
    {
        var bytes = new List<byte>();
        var v = value;
        do
        {
            bytes.Insert(0, (byte)v);
            v >>= 8;
        }
        while (!((v == 0 && bytes[0] < 0x80) || (v == -1 && bytes[0] >= 0x80)));
        return bytes.ToArray();
    }

    private static byte[] ObjectIdentifier(long[] oid)
    {
        if (oid.Length < 2 || oid[0] > 2 || (oid[0] < 2 && oid[1] >= 40) || oid.Any(x => x < 0))
        {
            throw Structural("invalid object identifier");
        }

        var result = new List<byte>();
        AppendBase128(result, oid[0] * 40 + oid[1]);
        foreach (var component in oid.Skip(2))
        {
            AppendBase128(result, component);
        }

        return result.ToArray();
    }

    private static void AppendBase128(List<byte> output, long value)
    {
        var start = output.Count;
        do
        {
            output.Insert(start, (byte)((byte)(value & 0x7f) | (output.Count > start ? 0x80 : 0)));
            value >>= 7;
        }
        while (value > 0);
    }

    /// <summary>Identifier octets (X.690 §8.1.2, high tag numbers in base 128), DER length, content.</summary>
    public static byte[] Tlv(int cls, long tag, bool compound, byte[] content)
    {
        var output = new List<byte>(content.Length + 8);
        var first = (byte)((cls << 6) | (compound ? 0x20 : 0));
        if (tag >= 31)
        {
            output.Add((byte)(first | 0x1f));
            AppendBase128(output, tag);
        }
        else
        {
            output.Add((byte)(first | (byte)(tag & 0x1f)));
        }

        if (content.Length < 128)
        {
            output.Add((byte)content.Length);
        }
        else
        {
            var length = new List<byte>();
            for (var n = content.Length; n > 0; n >>= 8)
            {
                length.Insert(0, (byte)n);
            }

            output.Add((byte)(0x80 | length.Count));
            output.AddRange(length);
        }

        output.AddRange(content);
        return output.ToArray();
    }

    private static TemplateFunctionException Structural(string message) => new("asn1: structure error: " + message);

    /// <summary>Go's <c>parseFieldParameters</c>: comma-separated; unknown parts are ignored.</summary>
    private static Params Parse(string parameters)
    {
        var p = default(Params);
        foreach (var part in parameters.Split(','))
        {
            switch (part)
            {
                case "optional":
                    p.Optional = true;
                    break;
                case "explicit":
                    p.Explicit = true;
                    p.Tag ??= 0;
                    break;
                case "generalized":
                    p.TimeType = TagGeneralizedTime;
                    break;
                case "utc":
                    p.TimeType = TagUtcTime;
                    break;
                case "ia5":
                    p.StringType = TagIa5String;
                    break;
                case "printable":
                    p.StringType = TagPrintableString;
                    break;
                case "numeric":
                    p.StringType = TagNumericString;
                    break;
                case "utf8":
                    p.StringType = TagUtf8String;
                    break;
                case "set":
                    p.Set = true;
                    break;
                case "application":
                    p.Application = true;
                    p.Tag ??= 0;
                    break;
                case "private":
                    p.Private = true;
                    p.Tag ??= 0;
                    break;
                case "omitempty":
                    p.OmitEmpty = true;
                    break;
                case var d when d.StartsWith("default:", StringComparison.Ordinal):
                    p.Default = GoCast.TryParseInt(d[8..], 10, out var value) ? value : p.Default;
                    break;
                case var t when t.StartsWith("tag:", StringComparison.Ordinal):
                    if (GoCast.TryParseInt(t[4..], 10, out var number))
                    {
                        p.Tag = number >= 0 ? number : throw Structural("negative tag number");
                    }

                    break;
            }
        }

        return p;
    }

    private struct Params
    {
        public bool Optional;
        public bool Explicit;
        public bool Application;
        public bool Private;
        public bool Set;
        public bool OmitEmpty;
        public long? Tag;
        public long? Default;
        public int TimeType;
        public int StringType;
    }
}
