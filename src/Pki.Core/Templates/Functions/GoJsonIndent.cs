using System.Text;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// Go's <c>json.Indent</c> over compact JSON as <see cref="GoJson"/> writes it, which is how
/// <c>json.MarshalIndent</c> works: a newline and indent after <c>{ [ ,</c> and before
/// <c>} ]</c>, <c>": "</c> after keys, and empty objects and arrays kept as <c>{}</c>/<c>[]</c>.
/// </summary>
internal static class GoJsonIndent
{
    public static string Indent(string compact, string indent)
    {
        var sb = new StringBuilder(compact.Length * 2);
        var depth = 0;
        var inString = false;
        for (var i = 0; i < compact.Length; i++)
        {
            var c = compact[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\')
                {
                    sb.Append(compact[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    sb.Append(c);
                    break;
                case '{' or '[' when i + 1 < compact.Length && compact[i + 1] is '}' or ']':
                    sb.Append(c).Append(compact[++i]);
                    break;
                case '{' or '[':
                    sb.Append(c);
                    NewLine(sb, indent, ++depth);
                    break;
                case '}' or ']':
                    NewLine(sb, indent, --depth);
                    sb.Append(c);
                    break;
                case ',':
                    sb.Append(c);
                    NewLine(sb, indent, depth);
                    break;
                case ':':
                    sb.Append(": ");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, string indent, int depth)
    {
        sb.Append('\n');
        for (var i = 0; i < depth; i++)
        {
            sb.Append(indent);
        }
    }
}
