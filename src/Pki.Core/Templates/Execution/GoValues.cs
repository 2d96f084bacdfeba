using Smallstep.Pki.Go;

namespace Smallstep.Pki.Templates.Execution;

/// <summary>Go semantics of the data model's values: truth, type names, equality.</summary>
internal static class GoValues
{
    /// <summary>
    /// What a missing map key evaluates to: Go's invalid reflect.Value, printed as
    /// <c>&lt;no value&gt;</c> and passed to functions as nil.
    /// </summary>
    public static readonly object NoValue = new();

    /// <summary>Go's <c>text/template</c> truth: false, 0, nil, and empty strings, lists and maps are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        IReadOnlyDictionary<string, object?> map => map.Count > 0,
        _ => value != NoValue,
    };

    /// <summary>The name Go's <c>%T</c> prints for the value's Go counterpart.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "<nil>",
        bool => "bool",
        long => "int",
        double => "float64",
        string => "string",
        IReadOnlyList<object?> => "[]interface {}",
        IReadOnlyDictionary<string, object?> => "map[string]interface {}",
        TemplateTypedValue t => t.GoType,
        TemplateStruct s => s.GoType,
        GoTime => "time.Time",
        _ => "<invalid>",
    };

    /// <summary>
    /// Deep equality (Go's reflect.DeepEqual over the model), used by sprig's has/without/uniq.
    /// Depth-bounded because <c>set</c> can make a map contain itself.
    /// </summary>
    public static bool DeepEqual(object? a, object? b, int depth = 0)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (depth > 64)
        {
            throw new TemplateFunctionException("value nests deeper than 64 levels");
        }

        switch (a, b)
        {
            case (IReadOnlyList<object?> x, IReadOnlyList<object?> y):
                return x.Count == y.Count && x.Zip(y).All(p => DeepEqual(p.First, p.Second, depth + 1));
            case (IReadOnlyDictionary<string, object?> x, IReadOnlyDictionary<string, object?> y):
                return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && DeepEqual(kv.Value, v, depth + 1));
            default:
                return Equals(a, b);
        }
    }

    /// <summary>Replaces <see cref="NoValue"/> by nil, as Go does when passing an invalid value to a function.</summary>
    public static object? Defined(object? value) => value == NoValue ? null : value;
}
