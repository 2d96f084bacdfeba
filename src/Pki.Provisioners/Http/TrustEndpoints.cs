using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The discovery and trust endpoints (api/api.go): health, version, roots, federation,
/// intermediates. Several read-only GETs answer 201, as step-ca does.
/// </summary>
internal static class TrustEndpoints
{
    /// <summary><c>GET /health</c>: 200 <c>{"status":"ok"}</c>.</summary>
    public static Task Health(StepApiContext call) => call.WriteJsonAsync(200, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("status", "ok");
        writer.WriteEndObject();
    });

    /// <summary><c>GET /version</c>: 200 <c>{"version":...}</c>, <c>requireClientAuthentication</c> only when true.</summary>
    public static Task Version(StepApiContext call) => call.WriteJsonAsync(200, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("version", call.Options.Version);
        if (call.Options.RequireClientAuthentication)
        {
            writer.WriteBoolean("requireClientAuthentication", true);
        }
        writer.WriteEndObject();
    });

    /// <summary>
    /// <c>GET /root/{sha}</c>: the root or federated root whose DER has this SHA-256 (dashes removed,
    /// case ignored); 200 <c>{"ca":PEM}</c>, else 404.
    /// </summary>
    public static Task Root(StepApiContext call)
    {
        var sum = call.Route("sha").Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        var trust = call.Authority.Trust;
        var root = trust.Roots.Concat(trust.FederatedRoots).FirstOrDefault(c => Fingerprint(c) == sum)
            ?? throw PkiException.NotFound($"{call.Http.Request.Path} was not found: certificate with fingerprint {sum} was not found");
        return call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("ca", PemText.Certificate(root.RawData));
            writer.WriteEndObject();
        });
    }

    /// <summary><c>GET /roots</c>: 201 <c>{"crts":[...]}</c> with the configured roots.</summary>
    public static Task Roots(StepApiContext call) => WriteCertificatesAsync(call, call.Authority.Trust.Roots);

    /// <summary><c>GET /roots.pem</c>: 200, the roots as one PEM bundle.</summary>
    public static Task RootsPem(StepApiContext call) => WritePemAsync(call, call.Authority.Trust.Roots);

    /// <summary>
    /// <c>GET /federation</c>: 201 <c>{"crts":[...]}</c>, the roots and the federated roots, each
    /// certificate once (step-ca keeps them in one map keyed by fingerprint).
    /// </summary>
    public static Task Federation(StepApiContext call)
    {
        var trust = call.Authority.Trust;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var all = trust.Roots.Concat(trust.FederatedRoots).Where(c => seen.Add(Fingerprint(c))).ToList();
        return WriteCertificatesAsync(call, all);
    }

    /// <summary><c>GET /intermediates</c>: 201 <c>{"crts":[...]}</c>, or 501 when the CA has none (RA mode).</summary>
    public static Task Intermediates(StepApiContext call) => WriteCertificatesAsync(call, RequireIntermediates(call));

    /// <summary><c>GET /intermediates.pem</c>: 200 PEM bundle, or 501 when the CA has none.</summary>
    public static Task IntermediatesPem(StepApiContext call) => WritePemAsync(call, RequireIntermediates(call));

    private static IReadOnlyList<X509Certificate2> RequireIntermediates(StepApiContext call)
    {
        var intermediates = call.Authority.Trust.Intermediates;
        return intermediates.Count > 0
            ? intermediates
            : throw PkiException.NotImplemented("error getting intermediates: method not implemented");
    }

    private static Task WriteCertificatesAsync(StepApiContext call, IEnumerable<X509Certificate2> certificates) =>
        call.WriteJsonAsync(201, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("crts");
            foreach (var certificate in certificates)
            {
                writer.WriteStringValue(PemText.Certificate(certificate.RawData));
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private static Task WritePemAsync(StepApiContext call, IEnumerable<X509Certificate2> certificates)
    {
        var pem = string.Concat(certificates.Select(c => PemText.Certificate(c.RawData)));
        return StepResponseWriter.WriteAsync(call.Http, 200, StepResponseWriter.PemContentType, Encoding.ASCII.GetBytes(pem));
    }

    private static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
}
