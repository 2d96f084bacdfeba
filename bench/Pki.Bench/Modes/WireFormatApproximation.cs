using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Bench.Modes;

/// <summary>
/// The HTTP layer's request decoding and response encoding are internal to Pki.Provisioners; these
/// stand-ins make the same kind of calls (Utf8JsonReader, PEM find + base64; PemEncoding.Write per
/// certificate + Utf8JsonWriter for <c>{"crt","ca","certChain","tlsOptions"}</c>) to size them.
/// </summary>
internal static class WireFormatApproximation
{
    /// <summary>Reads <c>csr</c> (PEM → DER) and <c>ott</c> from a sign body.</summary>
    public static (byte[] Csr, string Ott) DecodeSignBody(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        string csr = "", ott = "";
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "csr")
            {
                csr = reader.GetString() ?? "";
            }
            else if (name == "ott")
            {
                ott = reader.GetString() ?? "";
            }
        }
        var fields = PemEncoding.Find(csr);
        return (Convert.FromBase64String(csr[fields.Base64Data]), ott);
    }

    /// <summary>The 201 body of <c>/1.0/sign</c>, built the way the endpoint builds it.</summary>
    public static byte[] EncodeSignResponse(IssuedCertificate issued)
    {
        var leaf = Pem(issued.LeafDer);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("crt", leaf);
            writer.WriteString("ca", Pem(issued.ChainDer[0]));
            writer.WriteStartArray("certChain");
            writer.WriteStringValue(leaf);
            foreach (var der in issued.ChainDer)
            {
                writer.WriteStringValue(Pem(der));
            }
            writer.WriteEndArray();
            writer.WriteStartObject("tlsOptions");
            writer.WriteStartArray("cipherSuites");
            writer.WriteStringValue("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
            writer.WriteStringValue("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            writer.WriteEndArray();
            writer.WriteNumber("minVersion", 1.2);
            writer.WriteNumber("maxVersion", 1.3);
            writer.WriteBoolean("renegotiation", false);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string Pem(byte[] der) => string.Concat(new string(PemEncoding.Write("CERTIFICATE", der)), "\n");
}
