namespace Smallstep.Pki.Policy.Matching;

/// <summary>
/// Syntax checks on domain names shared by the name policy and the CA name constraints, with the
/// semantics of Go's crypto/x509 <c>domainToReverseLabels</c> (copied into step-ca's
/// policy/validate.go and authority/internal/constraints/verify.go).
/// </summary>
internal static class DomainName
{
    /// <summary>
    /// True when every label is non-empty and made of printable ASCII (33–126). A trailing dot
    /// (absolute name) is invalid; the empty string is valid (it has no labels); and, as in Go, one
    /// leading dot is tolerated and not counted as a label (<c>.example.com</c> has two labels).
    /// </summary>
    public static bool HasValidLabels(string domain)
    {
        if (domain.Length == 0)
        {
            return true;
        }
        var labelLength = 0;
        for (var i = domain[0] == '.' ? 1 : 0; i < domain.Length; i++)
        {
            var c = domain[i];
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }
                labelLength = 0;
            }
            else if (c is < (char)33 or > (char)126)
            {
                return false;
            }
            else
            {
                labelLength++;
            }
        }
        return labelLength > 0;
    }

    /// <summary>The number of labels of a name that passed <see cref="HasValidLabels"/>.</summary>
    public static int LabelCount(string domain) => LabelCount(domain.AsSpan());

    private static int LabelCount(ReadOnlySpan<char> domain)
    {
        domain = domain.StartsWith('.') ? domain[1..] : domain;
        return domain.IsEmpty ? 0 : domain.Count('.') + 1;
    }

    /// <summary>
    /// How many labels <paramref name="domain"/> has in front of the labels of
    /// <paramref name="suffix"/> (whole labels, ASCII case-insensitive), or -1 when it does not end
    /// with them. Both must have passed <see cref="HasValidLabels"/>.
    /// </summary>
    public static int ExtraLabels(string domain, string suffix)
    {
        domain = domain.StartsWith('.') ? domain[1..] : domain;
        if (suffix.Length == 0)
        {
            return LabelCount(domain);
        }
        if (string.Equals(domain, suffix, StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
        var start = domain.Length - suffix.Length;
        return start > 1 && domain[start - 1] == '.' && domain.AsSpan(start).Equals(suffix, StringComparison.OrdinalIgnoreCase)
            ? LabelCount(domain.AsSpan(0, start - 1))
            : -1;
    }
}
