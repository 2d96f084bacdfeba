using System.Text;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary><c>print</c>, <c>printf</c> and <c>println</c>: Go's fmt.Sprint, Sprintf and Sprintln.</summary>
internal static class PrintFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["print"] = Sprint;
        table["println"] = a => string.Join(' ', a.Select(GoFormatter.Format)) + "\n";
        table["printf"] = a =>
        {
            FunctionArgs.AtLeast("printf", a, 1);
            return GoPrintf.Format(FunctionArgs.String(a[0]), a[1..]);
        };
    }

    /// <summary>fmt.Sprint: a space between operands when neither side is a string.</summary>
    public static string Sprint(object?[] args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                sb.Append(' ');
            }

            sb.Append(GoFormatter.Format(args[i]));
        }

        return sb.ToString();
    }

    /// <summary>Go's <c>evalArgs</c> for html/js/urlquery: one string as is, else fmt.Sprint.</summary>
    public static string EvalArgs(object?[] args) => args is [string s] ? s : Sprint(args);
}
