using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Smallstep.Pki.Templates;

/// <summary>
/// Converts input into the template data model: <see cref="IReadOnlyDictionary{TKey,TValue}"/>
/// of string to object (Go maps), <see cref="IReadOnlyList{T}"/> of object (slices), string,
/// long, double, bool, null, <see cref="TemplateTypedValue"/> and <see cref="TemplateStruct"/>. Anything else is refused, so a
/// template can never reach into .NET objects.
/// </summary>
public static class TemplateData
{
    private const int MaxDepth = 64;

    /// <summary>
    /// Converts JSON. Integral numbers that fit become <see cref="long"/>, others <see cref="double"/>
    /// (Go decodes every JSON number to float64; both print alike for integers below 1e21 in
    /// <c>toJson</c>, and comparisons here accept mixed long/double).
    /// </summary>
    /// <param name="element">The JSON value.</param>
    /// <returns>The converted value.</returns>
    /// <exception cref="ArgumentException">The JSON nests deeper than 64 levels.</exception>
    public static object? FromJson(JsonElement element) => FromJson(element, 0);

    /// <summary>
    /// Deep-copies a value into the data model: dictionaries with string keys, lists and arrays,
    /// <see cref="JsonElement"/>, strings, all integer types, float/double/decimal, bool and null.
    /// </summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The converted value; maps are mutable copies, so sprig's <c>set</c> never touches the input.</returns>
    /// <exception cref="ArgumentException">The value contains an unsupported type or nests too deeply.</exception>
    public static object? Normalize(object? value) => Normalize(value, 0);

    private static object? Normalize(object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"template data nests deeper than {MaxDepth} levels");
        }

        return value switch
        {
            null or string or bool or long or double => value,
            TemplateTypedValue t => t with { Value = Normalize(t.Value, depth + 1) },
            TemplateStruct s => new TemplateStruct(s.GoType, s.Fields.Select(f => f with { Value = Normalize(f.Value, depth + 1) })),
            int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ulong u => u <= long.MaxValue ? (object)(long)u : (double)u,
            float f => (double)f,
            decimal m => (double)m,
            JsonElement e => FromJson(e, depth),
            IDictionary<string, object?> d => NormalizeMap(d, depth),
            IReadOnlyDictionary<string, object?> d => NormalizeMap(d, depth),
            IDictionary d => NormalizeMap(d, depth),
            IEnumerable e => e.Cast<object?>().Select(x => Normalize(x, depth + 1)).ToList(),
            _ => throw new ArgumentException($"type {value.GetType().Name} is not template data"),
        };
    }

    private static Dictionary<string, object?> NormalizeMap(IEnumerable<KeyValuePair<string, object?>> map, int depth) =>
        map.ToDictionary(kv => kv.Key, kv => Normalize(kv.Value, depth + 1), StringComparer.Ordinal);

    private static Dictionary<string, object?> NormalizeMap(IDictionary map, int depth)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in map)
        {
            if (entry.Key is not string key)
            {
                throw new ArgumentException("template data maps must have string keys");
            }

            result[key] = Normalize(entry.Value, depth + 1);
        }

        return result;
    }

    private static object? FromJson(JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"template data nests deeper than {MaxDepth} levels");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = FromJson(property.Value, depth + 1);
                }

                return map;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(e => FromJson(e, depth + 1)).ToList();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? (object)l : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
