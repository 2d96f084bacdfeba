using System.Text.Json;
using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// step-ca's <c>SignResponse</c> (api/sign.go), the 201 body of sign, renew and rekey:
/// <c>{"crt":leaf,"ca":first issuer or null,"certChain":[leaf,issuers...],"tlsOptions":{...}}</c>.
/// </summary>
internal static class IssuedCertificateResponse
{
    public static Task WriteAsync(StepApiContext call, IssuedCertificate issued) =>
        call.WriteJsonAsync(201, writer => Write(writer, issued, call.Options.TlsOptions));

    private static void Write(Utf8JsonWriter writer, IssuedCertificate issued, StepTlsOptions? tls)
    {
        var leaf = PemText.Certificate(issued.LeafDer);
        writer.WriteStartObject();
        writer.WriteString("crt", leaf);
        if (issued.ChainDer.Count > 0)
        {
            writer.WriteString("ca", PemText.Certificate(issued.ChainDer[0]));
        }
        else
        {
            // Go marshals the empty api.Certificate as null.
            writer.WriteNull("ca");
        }
        writer.WriteStartArray("certChain");
        writer.WriteStringValue(leaf);
        foreach (var der in issued.ChainDer)
        {
            writer.WriteStringValue(PemText.Certificate(der));
        }
        writer.WriteEndArray();
        if (tls is not null)
        {
            WriteTlsOptions(writer, tls);
        }
        writer.WriteEndObject();
    }

    private static void WriteTlsOptions(Utf8JsonWriter writer, StepTlsOptions tls)
    {
        writer.WriteStartObject("tlsOptions");
        writer.WriteStartArray("cipherSuites");
        foreach (var suite in tls.CipherSuites)
        {
            writer.WriteStringValue(suite);
        }
        writer.WriteEndArray();
        // TLSVersion is a Go float64: 1.2 is written "1.2", 1.0 is written "1"; .NET's shortest
        // round-trip formatting of double agrees.
        writer.WriteNumber("minVersion", tls.MinVersion);
        writer.WriteNumber("maxVersion", tls.MaxVersion);
        writer.WriteBoolean("renegotiation", tls.Renegotiation);
        writer.WriteEndObject();
    }
}
