using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.X5c;

/// <summary>
/// The <c>X5C</c> provisioner type (authority/provisioner/x5c.go; extension type code 7): binds
/// <c>roots</c> — Go <c>[]byte</c>, so standard base64 in ca.json, of a PEM bundle — and lists
/// <c>roots</c>, <c>claims</c> and <c>options</c> as step-ca's Go struct marshals them.
/// </summary>
public static class X5cProvisionerType
{
    /// <summary>The registration (<c>AddX5cProvisioners()</c>).</summary>
    public static ProvisionerTypeRegistration Registration { get; } = new(ProvisionerTypeNames.X5C, Create)
    {
        ExtensionTypeCode = 7,
        Listing = new ProvisionerListing(["roots", "claims", "options"]) { AlwaysListed = new Dictionary<string, string> { ["roots"] = "null" } },
    };

    /// <summary>
    /// x5c.go <c>Init</c>: every PEM block of the bundle must be a certificate, and there must be at
    /// least one. Text outside PEM blocks is ignored, as Go's <c>pem.Decode</c> ignores it.
    /// </summary>
    /// <param name="pem">The decoded <c>roots</c> bytes.</param>
    /// <returns>The certificates, or an error message naming what is wrong.</returns>
    public static (IReadOnlyList<X509Certificate2> Roots, string? Error) ParseRoots(ReadOnlySpan<byte> pem)
    {
        var text = Encoding.UTF8.GetString(pem);
        var roots = new List<X509Certificate2>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            try
            {
                roots.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException e)
            {
                return ([], $"error parsing x509 certificate from PEM block {roots.Count + 1} ({rest[fields.Label]}): {e.Message}");
            }
            rest = rest[fields.Location.End..];
        }
        return roots.Count == 0 ? ([], "no x509 certificates found in roots") : (roots, null);
    }

    private static X5cProvisioner Create(ProvisionerConfig config, ProvisionerBuildContext context)
    {
        var field = context.FieldPath;
        if (string.IsNullOrEmpty(config.Name))
        {
            throw Invalid(field + ".name", "provisioner name cannot be empty");
        }
        var member = config.Json.ValueKind == JsonValueKind.Object && config.Json.TryGetProperty("roots", out var value) ? value : default;
        if (member.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || (member.ValueKind == JsonValueKind.String && member.GetString()!.Length == 0))
        {
            throw Invalid(field + ".roots", "provisioner root(s) cannot be empty");
        }
        // encoding/json decodes []byte from a standard base64 string only.
        if (member.ValueKind != JsonValueKind.String || !member.TryGetBytesFromBase64(out var pem))
        {
            throw Invalid(field + ".roots", "roots must be the standard base64 encoding of a PEM bundle (step ca provisioner add --x5c-root writes it)");
        }
        var (roots, error) = ParseRoots(pem);
        if (error is not null)
        {
            throw Invalid(field + ".roots", $"{error} for provisioner '{config.Name}'");
        }
        return new X5cProvisioner(config, roots, context);
    }

    private static CaConfigException Invalid(string field, string message) => new("ca.json", [ConfigDiagnostic.Error(field, message)]);
}
