using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's <c>default empty coalesce ternary typeIs typeOf</c> (Masterminds/sprig
/// <c>defaults.go</c>, <c>reflect.go</c>) and step's <c>fail</c> (smallstep/crypto
/// <c>internal/templates/funcmap.go</c>). Type names come from <see cref="GoValues.TypeName"/>,
/// so <c>typeIs</c> on a <see cref="TemplateTypedValue"/> compares its stored Go type name.
/// </summary>
internal static class SprigDefaultFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["empty"] = a =>
        {
            FunctionArgs.Count("empty", a, 1);
            return !GoValues.IsTrue(a[0]);
        };
        table["default"] = a =>
        {
            FunctionArgs.AtLeast("default", a, 1);
            return a.Length < 2 || !GoValues.IsTrue(a[1]) ? a[0] : a[1];
        };
        table["coalesce"] = a => a.FirstOrDefault(GoValues.IsTrue);
        table["ternary"] = a =>
        {
            FunctionArgs.Count("ternary", a, 3);
            return a[2] is bool b ? (b ? a[0] : a[1])
                : throw new TemplateFunctionException($"wrong type for value; expected bool; got {GoValues.TypeName(a[2])}");
        };
        table["typeOf"] = a =>
        {
            FunctionArgs.Count("typeOf", a, 1);
            return GoValues.TypeName(a[0]);
        };
        table["typeIs"] = a =>
        {
            FunctionArgs.Count("typeIs", a, 2);
            return FunctionArgs.String(a[0]) == GoValues.TypeName(a[1]);
        };
        table["fail"] = a =>
        {
            FunctionArgs.Count("fail", a, 1);
            throw new TemplateFunctionException(FunctionArgs.String(a[0]), isFail: true);
        };
    }
}
