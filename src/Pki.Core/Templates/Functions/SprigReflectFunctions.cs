using Smallstep.Pki.Go;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>sprig's <c>kindOf kindIs typeIsLike deepEqual</c> (Masterminds/sprig <c>reflect.go</c>) over the model's Go types.</summary>
internal static class SprigReflectFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["kindOf"] = a =>
        {
            FunctionArgs.Count("kindOf", a, 1);
            return Kind(a[0]);
        };
        table["kindIs"] = a =>
        {
            FunctionArgs.Count("kindIs", a, 2);
            return FunctionArgs.String(a[0]) == Kind(a[1]);
        };
        table["typeIsLike"] = a =>
        {
            FunctionArgs.Count("typeIsLike", a, 2);
            var (target, type) = (FunctionArgs.String(a[0]), GoValues.TypeName(a[1]));
            return target == type || "*" + target == type;
        };
        table["deepEqual"] = a =>
        {
            FunctionArgs.Count("deepEqual", a, 2);
            return GoValues.DeepEqual(a[0], a[1]);
        };
    }

    /// <summary>Go's <c>reflect.Kind</c> name of the value's Go counterpart (<c>invalid</c> for nil).</summary>
    public static string Kind(object? value) => value switch
    {
        null => "invalid",
        bool => "bool",
        long => "int",
        double => "float64",
        string => "string",
        IReadOnlyList<object?> => "slice",
        IReadOnlyDictionary<string, object?> => "map",
        GoTime or TemplateStruct => "struct",
        TemplateTypedValue t => t.GoType.StartsWith('*') ? "ptr" : t.Value is null ? "struct" : Kind(t.Value),
        _ => "invalid",
    };
}
