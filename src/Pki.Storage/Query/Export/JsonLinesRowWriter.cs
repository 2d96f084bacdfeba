using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Smallstep.Pki.Storage.Query.Export;

/// <summary>
/// JSON Lines: one object per certificate, <c>\n</c> after each:
/// <c>{"kind","serial","subject","sans":[...],"issuer"?,"notBefore","notAfter","provisioner":{"id","name","type"}|null,
/// "revoked","revocation"?:{"reasonCode","reason","revokedAt"?},"fingerprint","sshType"?,"pem"?}</c>.
/// </summary>
internal sealed class JsonLinesRowWriter(bool includePem) : ICertificateRowWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
    private readonly ArrayBufferWriter<byte> _buffer = new(2048);

    /// <inheritdoc />
    public void WriteStart(Stream output)
    {
    }

    /// <inheritdoc />
    public void Write(Stream output, CertificateRecord certificate)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("kind", ExportRecord.Kind(certificate));
            json.WriteString("serial", certificate.Serial);
            json.WriteString("subject", Valid(certificate.Subject));
            json.WriteStartArray("sans");
            foreach (var name in certificate.Names)
            {
                json.WriteStringValue(Valid(name));
            }
            json.WriteEndArray();
            if (certificate.Issuer is { } issuer)
            {
                json.WriteString("issuer", Valid(issuer));
            }
            json.WriteString("notBefore", ExportRecord.Time(certificate.NotBefore));
            json.WriteString("notAfter", ExportRecord.Time(certificate.NotAfter));
            if (certificate.Provisioner is { } provisioner)
            {
                json.WriteStartObject("provisioner");
                json.WriteString("id", Valid(provisioner.Id));
                json.WriteString("name", Valid(provisioner.Name));
                json.WriteString("type", Valid(provisioner.Type));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("provisioner");
            }
            json.WriteBoolean("revoked", certificate.Revoked);
            if (certificate.Revocation is { } revocation)
            {
                json.WriteStartObject("revocation");
                json.WriteNumber("reasonCode", revocation.ReasonCode);
                json.WriteString("reason", Valid(revocation.Reason));
                if (revocation.RevokedAt != DateTimeOffset.MinValue)
                {
                    json.WriteString("revokedAt", ExportRecord.Time(revocation.RevokedAt));
                }
                json.WriteEndObject();
            }
            json.WriteString("fingerprint", certificate.Fingerprint);
            if (certificate.SshCertificateType is { } sshType)
            {
                json.WriteString("sshType", sshType);
            }
            if (includePem)
            {
                json.WriteString("pem", ExportRecord.Pem(certificate));
            }
            json.WriteEndObject();
        }
        output.Write(_buffer.WrittenSpan);
        output.WriteByte((byte)'\n');
    }

    // Utf8JsonWriter refuses lone surrogates, which decoded certificate text may hold: they become U+FFFD.
    private static string Valid(string text) =>
        text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 ? text : System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));
}
