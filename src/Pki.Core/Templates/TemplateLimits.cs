namespace Smallstep.Pki.Templates;

/// <summary>
/// Bounds that keep a hostile or careless template from exhausting the CA: templates come
/// from provisioner configuration and are data, never trusted code.
/// </summary>
public sealed record TemplateLimits
{
    /// <summary>The defaults: 1 MiB of template text and output, 1,000,000 steps, 100 nested calls.</summary>
    public static TemplateLimits Default { get; } = new();

    /// <summary>Longest template source accepted by <see cref="GoTemplate.Parse"/>, in characters.</summary>
    public int MaxTemplateChars { get; init; } = 1 << 20;

    /// <summary>Largest rendered output, in characters.</summary>
    public int MaxOutputChars { get; init; } = 1 << 20;

    /// <summary>Most evaluation steps (nodes, range iterations, function calls) of one render.</summary>
    public long MaxSteps { get; init; } = 1_000_000;

    /// <summary>Deepest nesting of <c>template</c>/<c>block</c> calls.</summary>
    public int MaxTemplateDepth { get; init; } = 100;

    /// <summary>
    /// For templates whose output is JSON (certificate templates): an action printed inside a
    /// JSON string literal is escaped for it, so data can never close the string and add members.
    /// Go's text/template does not do this; outside string literals the output is identical.
    /// </summary>
    public bool EscapeInsideJsonStrings { get; init; }
}
