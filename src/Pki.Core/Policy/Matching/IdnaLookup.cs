using System.Globalization;

namespace Smallstep.Pki.Policy.Matching;

/// <summary>
/// IDNA to-ASCII conversion with the behaviour of Go's <c>idna.Lookup.ToASCII</c>
/// (golang.org/x/net/idna), which step-ca applies to DNS names and DNS/URI/email rules: UTS #46
/// mapping (so upper case becomes lower case), STD3 rules (ASCII limited to letters, digits and
/// hyphen: <c>_</c>, <c>*</c> and spaces are errors), hyphen checks (no leading or trailing hyphen,
/// no <c>--</c> in positions 3–4 outside <c>xn--</c> labels), Punycode for other labels. Empty
/// labels are left for the caller's label check, as in Go. Thread-safe.
/// </summary>
internal static class IdnaLookup
{
    /// <summary>The ASCII form of <paramref name="name"/>, or null when IDNA rejects it.</summary>
    public static string? ToAscii(string name)
    {
        if (name.Length == 0)
        {
            return name;
        }
        var ascii = IsPlainAscii(name) ? name.ToLowerInvariant() : Convert(name);
        return ascii is not null && HyphensAreValid(ascii) ? ascii : null;
    }

    // Letters, digits, hyphens and dots only, and no Punycode label that would need decoding: the
    // common case, which needs no ICU call.
    private static bool IsPlainAscii(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }
        return !name.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)
            && !name.Contains(".xn--", StringComparison.OrdinalIgnoreCase);
    }

    private static string? Convert(string name)
    {
        // Go skips empty labels where ICU refuses them; keep a leading dot (the cut "*." of a
        // wildcard name) out of ICU's way and let the label check reject other empty labels.
        var leadingDot = name[0] == '.';
        var body = leadingDot ? name[1..] : name;
        try
        {
            // A new IdnMapping per call: instance members are not documented as thread-safe.
            var ascii = body.Length == 0 ? body : new IdnMapping { UseStd3AsciiRules = true }.GetAscii(body).ToLowerInvariant();
            return leadingDot ? "." + ascii : ascii;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // UTS #46 §4.1 V2/V3 as Go applies them (ICU through IdnMapping does not report V2).
    private static bool HyphensAreValid(string ascii)
    {
        foreach (var range in ascii.AsSpan().Split('.'))
        {
            var label = ascii.AsSpan(range);
            if (label.Length == 0 || label.StartsWith("xn--", StringComparison.Ordinal))
            {
                continue;
            }
            if (label[0] == '-' || label[^1] == '-' || (label.Length > 4 && label[2] == '-' && label[3] == '-'))
            {
                return false;
            }
        }
        return true;
    }
}
