using System.Text.Json;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Go;

/// <summary>
/// <see cref="Utf8JsonWriter"/> members written the way Go's <c>encoding/json</c> marshals a struct
/// field: <c>omitempty</c> members skipped when empty, <c>*T</c> pointers skipped when nil, durations as
/// Go's <c>Duration.String()</c>, times as <c>time.Time.MarshalJSON</c>. Write in Go's struct order and
/// hand the writer to <see cref="GoJsonEncoder"/>, which supplies Go's escaping and layout.
/// </summary>
public static class GoJsonWriterExtensions
{
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

    /// <summary>A Go <c>time.Time</c> member: RFC 3339 with nanoseconds (<see cref="GoTimeJson.Format(DateTimeOffset)"/>).</summary>
    public static void WriteGoTime(this Utf8JsonWriter writer, string name, DateTimeOffset value) =>
        writer.WriteString(name, GoTimeJson.Format(value));
}
