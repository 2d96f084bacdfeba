using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// Helpers that write JSON the way Go's <c>encoding/json</c> marshals step's structs: members in
/// struct order, <c>omitempty</c> members skipped when empty, durations as Go's
/// <c>Duration.String()</c>, and (for files) <c>json.MarshalIndent(v, "", "\t")</c> layout.
/// </summary>
/// <remarks>
/// Escaping differs from Go in rare cases only: Go also escapes <c>&lt; &gt; &amp;</c> as
/// <c>\u003c</c>-style sequences; both forms decode to the same text.
/// </remarks>
internal static class GoJsonWriting
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Runs <paramref name="write"/> and returns the text, tab-indented or compact.</summary>
    public static string ToText(Action<Utf8JsonWriter> write, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A Go <c>omitempty</c> string: written unless null or empty.</summary>
    public static void StringIfSet(this Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>A Go <c>omitempty</c> bool: written only when true.</summary>
    public static void TrueIfSet(this Utf8JsonWriter writer, string name, bool value)
    {
        if (value)
        {
            writer.WriteBoolean(name, true);
        }
    }

    /// <summary>A Go <c>*bool</c> with <c>omitempty</c>: written unless null (false is written).</summary>
    public static void BooleanIfSet(this Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } set)
        {
            writer.WriteBoolean(name, set);
        }
    }

    /// <summary>A Go <c>*Duration</c> with <c>omitempty</c>: written as <c>Duration.String()</c> unless null.</summary>
    public static void DurationIfSet(this Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is { } set)
        {
            writer.WriteString(name, GoDuration.Format(set));
        }
    }

    /// <summary>A Go <c>[]string</c> without <c>omitempty</c>: null is written as <c>null</c>.</summary>
    public static void Strings(this Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    /// <summary>A Go <c>[]string</c> with <c>omitempty</c>: skipped when null or empty.</summary>
    public static void StringsIfSet(this Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is { Count: > 0 })
        {
            writer.Strings(name, values);
        }
    }

    /// <summary>A raw JSON member (Go <c>json.RawMessage</c> with <c>omitempty</c>): skipped when null.</summary>
    public static void RawIfSet(this Utf8JsonWriter writer, string name, JsonElement? value)
    {
        if (value is { } set)
        {
            writer.WritePropertyName(name);
            set.WriteTo(writer);
        }
    }

    /// <summary>A Go pointer-to-struct with <c>omitempty</c>: written by <paramref name="write"/> unless null.</summary>
    public static void ObjectIfSet<T>(this Utf8JsonWriter writer, string name, T? value, Action<T, Utf8JsonWriter> write)
        where T : class
    {
        if (value is not null)
        {
            writer.WritePropertyName(name);
            write(value, writer);
        }
    }

    /// <summary>Members kept from the input that step-ca does not know, after the known ones.</summary>
    public static void Extensions(this Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement> extensionData)
    {
        foreach (var (name, value) in extensionData)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}
