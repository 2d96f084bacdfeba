using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>Argument checks with Go's wording for calls whose parameters are typed.</summary>
internal static class FunctionArgs
{
    public static void Count(string fn, object?[] args, int want)
    {
        if (args.Length != want)
        {
            throw new TemplateFunctionException($"wrong number of args for {fn}: want {want} got {args.Length}");
        }
    }

    public static void AtLeast(string fn, object?[] args, int want)
    {
        if (args.Length < want)
        {
            throw new TemplateFunctionException($"wrong number of args for {fn}: want at least {want} got {args.Length}");
        }
    }

    public static string String(object? value) => value as string
        ?? throw new TemplateFunctionException($"wrong type for value; expected string; got {GoValues.TypeName(value)}");

    /// <summary>An int parameter; integral doubles are accepted because JSON numbers may arrive as doubles.</summary>
    public static long Int(object? value) => value switch
    {
        long l => l,
        double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
        _ => throw new TemplateFunctionException($"wrong type for value; expected int; got {GoValues.TypeName(value)}"),
    };

    public static IReadOnlyList<object?> List(string fn, object? value) => value as IReadOnlyList<object?>
        ?? throw new TemplateFunctionException($"Cannot find {fn} on type {GoValues.TypeName(value)}");

    public static IReadOnlyDictionary<string, object?> Map(object? value) => value as IReadOnlyDictionary<string, object?>
        ?? throw new TemplateFunctionException($"wrong type for value; expected map[string]interface {{}}; got {GoValues.TypeName(value)}");

    /// <summary>sprig's <c>strval</c>: strings as they are, everything else through <c>%v</c>.</summary>
    public static string StrVal(object? value) => value as string ?? GoFormatter.Format(value);
}
