namespace Smallstep.Pki.Go;

/// <summary>
/// How <see cref="GoJsonEncoder"/> lays out and escapes JSON, named after the Go call that produces
/// it. step-ca's wire formats are the output of Go's <c>encoding/json</c>; which Go release and
/// which call (<c>json.Marshal</c>, <c>json.MarshalIndent</c>, <c>json.Encoder.Encode</c>) decides the
/// bytes. Immutable; derive variants with <c>with</c>.
/// </summary>
public sealed record GoJsonFormat
{
    /// <summary>
    /// <c>json.Marshal</c> as Go 1.19 (step-ca 0.19) writes it: compact, HTML-escaped, and backspace
    /// and form feed as <c>\u0008</c> and <c>\u000c</c>.
    /// </summary>
    public static GoJsonFormat Go119Marshal { get; } = new();

    /// <summary>
    /// <c>json.Marshal</c> as Go 1.22 and later write it: as <see cref="Go119Marshal"/> but backspace and
    /// form feed as <c>\b</c> and <c>\f</c> (encoding/json encode.go <c>appendString</c>, Go 1.22).
    /// </summary>
    public static GoJsonFormat Go122Marshal { get; } = new() { ShortBackspaceAndFormFeed = true };

    /// <summary>
    /// Go's <c>SetEscapeHTML</c>: when true (Go's default) <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> are
    /// written as <c>\u003c</c>, <c>\u003e</c>, <c>\u0026</c>; false is sprig's <c>toRawJson</c>.
    /// </summary>
    public bool EscapeHtml { get; init; } = true;

    /// <summary>True for Go 1.22 and later, which write <c>\b</c> and <c>\f</c>; earlier Go writes <c>\u0008</c> and <c>\u000c</c>.</summary>
    public bool ShortBackspaceAndFormFeed { get; init; }

    /// <summary>
    /// Null for compact output; otherwise the <c>indent</c> of <c>json.MarshalIndent(v, "", indent)</c>
    /// (encoding/json indent.go: a newline after <c>{ [ ,</c> and before <c>} ]</c>, <c>": "</c> after
    /// names, empty objects and arrays kept as <c>{}</c> and <c>[]</c>).
    /// </summary>
    public string? Indent { get; init; }

    /// <summary>True to end with <c>"\n"</c>, as <c>json.NewEncoder(w).Encode(v)</c> does.</summary>
    public bool TrailingNewline { get; init; }
}
