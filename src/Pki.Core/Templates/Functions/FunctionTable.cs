namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// Every function a template may call: Go's built-ins, the sprig subset step-ca templates use,
/// and step's <c>fail</c>. Immutable and shared; functions are pure over their arguments
/// (sprig's <c>set</c>/<c>unset</c> mutate the map they are given, as in Go).
/// </summary>
internal static class FunctionTable
{
    private static readonly Dictionary<string, Func<object?[], object?>> Functions = Build();

    /// <summary>Whether <paramref name="name"/> is callable; <c>and</c>/<c>or</c> are evaluated lazily by the executor.</summary>
    public static bool IsDefined(string name) => name is "and" or "or" || Functions.ContainsKey(name);

    public static Func<object?[], object?> Get(string name) => Functions[name];

    private static Dictionary<string, Func<object?[], object?>> Build()
    {
        var table = new Dictionary<string, Func<object?[], object?>>(StringComparer.Ordinal);
        BuiltinFunctions.Register(table);
        ComparisonFunctions.Register(table);
        PrintFunctions.Register(table);
        SprigStringFunctions.Register(table);
        SprigListFunctions.Register(table);
        SprigDictFunctions.Register(table);
        SprigDefaultFunctions.Register(table);
        SprigEncodingFunctions.Register(table);
        return table;
    }
}
