namespace Smallstep.Pki.Templates;

/// <summary>
/// A value that stands for a Go object of a given type, so that sprig's <c>typeIs</c> and
/// <c>typeOf</c> work without reflection over .NET objects. Issuance stores, for example,
/// <c>new TemplateTypedValue("*rsa.PublicKey")</c> at <c>.Insecure.CR.PublicKey</c>, which makes
/// step's default leaf template's <c>typeIs "*rsa.PublicKey" .Insecure.CR.PublicKey</c> true.
/// </summary>
/// <param name="GoType">The Go type name as <c>fmt.Sprintf("%T")</c> prints it, e.g. <c>*ecdsa.PublicKey</c>.</param>
/// <param name="Value">What the value prints and serializes as; field access reads into it.</param>
public sealed record TemplateTypedValue(string GoType, object? Value = null);
