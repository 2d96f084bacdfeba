namespace Smallstep.Pki.Templates;

/// <summary>
/// A value that stands for a Go struct in template data: templates read its fields by their Go
/// names (<c>.Subject.CommonName</c>, <c>.Insecure.CR.DNSNames</c>) while <c>toJson</c> writes
/// them under their JSON names, in declaration order, honouring <c>omitempty</c> and
/// <c>json:"-"</c> — exactly how step-ca's templates see x509util's structs.
/// </summary>
public sealed class TemplateStruct
{
    private readonly Dictionary<string, object?> _byName;

    /// <summary>Creates a struct value.</summary>
    /// <param name="goType">The Go type name as <c>%T</c> prints it, e.g. <c>x509util.Subject</c>.</param>
    /// <param name="fields">The fields in declaration order; names must be unique.</param>
    /// <exception cref="ArgumentException">Two fields share a name.</exception>
    public TemplateStruct(string goType, IEnumerable<TemplateStructField> fields)
    {
        ArgumentNullException.ThrowIfNull(goType);
        ArgumentNullException.ThrowIfNull(fields);
        GoType = goType;
        Fields = fields.ToList();
        _byName = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (!_byName.TryAdd(field.Name, field.Value))
            {
                throw new ArgumentException($"duplicate field {field.Name} in {goType}", nameof(fields));
            }
        }
    }

    /// <summary>The Go type name, for <c>typeOf</c>/<c>typeIs</c>.</summary>
    public string GoType { get; }

    /// <summary>The fields in declaration order.</summary>
    public IReadOnlyList<TemplateStructField> Fields { get; }

    /// <summary>Reads a field by its Go name (case-sensitive, as Go's field lookup).</summary>
    /// <param name="name">The Go field name.</param>
    /// <param name="value">The field's value.</param>
    /// <returns>False when the struct has no such field.</returns>
    public bool TryGetField(string name, out object? value) => _byName.TryGetValue(name, out value);
}

/// <summary>One field of a <see cref="TemplateStruct"/>.</summary>
/// <param name="Name">The Go field name templates use.</param>
/// <param name="Value">The value, in the template data model.</param>
/// <param name="JsonName">The JSON member name, or null for <c>json:"-"</c> (never serialized).</param>
/// <param name="OmitEmpty">Whether <c>toJson</c> leaves the member out when the value is empty (Go's <c>omitempty</c>).</param>
/// <param name="NilWhenEmpty">
/// Whether an empty list stands for a nil Go slice, which <c>toJson</c> writes as <c>null</c>
/// (templates still range over it as an empty list).
/// </param>
public sealed record TemplateStructField(string Name, object? Value, string? JsonName, bool OmitEmpty = false, bool NilWhenEmpty = false);
