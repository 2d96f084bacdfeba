using System.Numerics;
using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>
/// Template output read with <see cref="GoJsonObject"/> (Go's struct decoding) and step's wording:
/// a member of the wrong shape is a 400 <c>error applying certificate template: {path} must be ...</c>.
/// Adds the x509util field types a plain struct does not have.
/// </summary>
internal static class TemplateJsonObject
{
    /// <summary>The 400 for a template member of the wrong shape.</summary>
    public static readonly GoJsonError Error = (member, expected, inner) =>
        PkiException.BadRequest($"error applying certificate template: {member} must be {expected}", inner);

    /// <summary>Reads an object of the template output with the struct's JSON field names; anything else is a 400.</summary>
    public static GoJsonObject Read(JsonElement element, IReadOnlyList<string> fields, string path) =>
        GoJsonObject.Read(element, path, Error, fields);

    /// <summary>A 400 for the member at <paramref name="path"/>.</summary>
    public static PkiException Invalid(string path, string expected) => (PkiException)Error(path, expected);

    /// <summary>Go's <c>time.Time</c> member as UTC; null when absent (the zero time).</summary>
    public static DateTimeOffset? UtcTime(this GoJsonObject o, string field) => o.Time(field)?.ToUniversalTime();

    /// <summary>x509util <c>SerialNumber</c>: an integer, or a string in base 10 or with a 0x/0o/0b prefix.</summary>
    public static BigInteger? Serial(this GoJsonObject o, string field)
    {
        if (o.Get(field) is not { } v)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.Number)
        {
            return v.TryGetInt64(out var n) ? n : throw o.Invalid(field, "an int64 or a string");
        }
        var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : throw o.Invalid(field, "an integer or a string");
        return GoBigInteger.TryParse(text, out var serial) ? serial : throw PkiException.BadRequest($"error applying certificate template: serialNumber {text} is not valid");
    }
}
