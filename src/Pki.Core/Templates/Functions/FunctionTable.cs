namespace Smallstep.Pki.Templates.Functions;

/// <summary>A template function: arguments (already evaluated) and the render's context in, a model value out.</summary>
internal delegate object? TemplateFunction(object?[] args, FunctionContext context);

/// <summary>
/// Every function a template may call: Go's built-ins, sprig's <c>TxtFuncMap</c> (less
/// <c>env</c>/<c>expandenv</c>, which step removes, and the functions listed in
/// <see cref="GoTemplate"/>'s remarks as not provided), step's <c>fail</c> and time functions
/// (smallstep/crypto <c>internal/templates/funcmap.go</c>) and step's X.509 ASN.1 helpers
/// (<c>x509util/options.go</c>). Immutable and shared; functions are pure over their arguments
/// (sprig's <c>set</c>/<c>unset</c>/<c>merge</c> mutate the map they are given, as in Go).
/// </summary>
internal static class FunctionTable
{
    private static readonly Dictionary<string, TemplateFunction> Functions = Build();

    /// <summary>Whether <paramref name="name"/> is callable; <c>and</c>/<c>or</c> are evaluated lazily by the executor.</summary>
    public static bool IsDefined(string name) => name is "and" or "or" || Functions.ContainsKey(name);

    public static TemplateFunction Get(string name) => Functions[name];

    private static Dictionary<string, TemplateFunction> Build()
    {
        var plain = new Dictionary<string, Func<object?[], object?>>(StringComparer.Ordinal);
        BuiltinFunctions.Register(plain);
        ComparisonFunctions.Register(plain);
        PrintFunctions.Register(plain);
        SprigStringFunctions.Register(plain);
        SprigListFunctions.Register(plain);
        SprigDictFunctions.Register(plain);
        SprigDefaultFunctions.Register(plain);
        SprigEncodingFunctions.Register(plain);
        SprigTextFunctions.Register(plain);
        SprigCaseFunctions.Register(plain);
        SprigHashFunctions.Register(plain);
        SprigMoreListFunctions.Register(plain);
        SprigMoreDictFunctions.Register(plain);
        SprigReflectFunctions.Register(plain);
        SprigJsonFunctions.Register(plain);
        SprigRegexFunctions.Register(plain);
        SprigPathFunctions.Register(plain);

        var table = plain.ToDictionary(
            kv => kv.Key,
            kv => (TemplateFunction)((args, _) => kv.Value(args)),
            StringComparer.Ordinal);
        SprigSizedFunctions.Register(table);
        SprigMathFunctions.Register(table);
        SprigDateFunctions.Register(table);
        StepTimeFunctions.Register(table);
        StepAsn1Functions.Register(table);
        return table;
    }
}
