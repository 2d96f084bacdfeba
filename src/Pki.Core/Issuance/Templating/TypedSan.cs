using System.Text.Json;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>One entry of a template's <c>sans</c> list (x509util <c>SubjectAlternativeName</c>).</summary>
/// <param name="Type">dns, email, ip, uri, auto (or empty), or an extended type / otherName OID.</param>
/// <param name="Value">The value.</param>
/// <param name="Asn1Value">Structured value for permanentIdentifier, hardwareModuleName and dn.</param>
/// <param name="Path">Where it sits in the template output.</param>
internal sealed record TypedSan(string Type, string Value, JsonElement? Asn1Value, string Path)
{
    /// <summary>The types Go's crypto/x509 writes itself (x509util <c>hasExtendedSANs</c> compares exactly).</summary>
    public bool IsBasic => Type is "dns" or "email" or "ip" or "uri" or "auto" or "";

    public static TypedSan Read(JsonElement element, string path)
    {
        var o = TemplateJsonObject.Read(element, ["type", "value", "asn1Value"], path);
        return new TypedSan(o.String("type") ?? "", o.String("value") ?? "", o.Get("asn1Value")?.Clone(), path);
    }
}
