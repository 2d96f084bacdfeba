using Smallstep.Pki.Go;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// The <c>revoked_x509_certs</c> value: step-ca's <c>RevokedCertificateInfo</c> (certificates db/db.go),
/// a struct without JSON tags, so the keys are the Go field names in declaration order:
/// <c>Serial, ProvisionerID, ReasonCode, Reason, RevokedAt, ExpiresAt, TokenID, MTLS, ACME</c>.
/// step-ca 0.19 had no <c>ExpiresAt</c>; such rows read as the zero time.
/// </summary>
internal static class RevocationRecordJson
{
    /// <summary>Encodes like Go's <c>json.Marshal(RevokedCertificateInfo)</c> of current step-ca.</summary>
    public static byte[] Encode(RevocationRecord record) => GoJsonEncoder.Encode(
        json =>
        {
            json.WriteStartObject();
            json.WriteString("Serial", record.Serial);
            json.WriteString("ProvisionerID", record.ProvisionerId);
            json.WriteNumber("ReasonCode", record.ReasonCode);
            json.WriteString("Reason", record.Reason);
            json.WriteGoTime("RevokedAt", record.RevokedAt);
            json.WriteGoTime("ExpiresAt", record.ExpiresAt);
            json.WriteString("TokenID", record.TokenId);
            json.WriteBoolean("MTLS", record.Mtls);
            json.WriteBoolean("ACME", record.Acme);
            json.WriteEndObject();
        },
        StoredRowJson.Format);

    /// <summary>Decodes like Go's <c>json.Unmarshal</c> into <c>RevokedCertificateInfo</c>.</summary>
    /// <exception cref="Errors.PkiException">Kind Internal: the row is not such JSON.</exception>
    public static RevocationRecord Decode(ReadOnlySpan<byte> json, string serial)
    {
        var row = StoredRowJson.Unmarshal(json, $"{StepTables.RevokedX509Certs} row {serial}");
        return new RevocationRecord(
            row.String("Serial") ?? "",
            row.String("ProvisionerID") ?? "",
            row.Int32("ReasonCode"),
            row.String("Reason") ?? "",
            row.Time("RevokedAt") ?? DateTimeOffset.MinValue,
            row.Time("ExpiresAt") ?? DateTimeOffset.MinValue,
            row.String("TokenID") ?? "",
            row.Boolean("MTLS"),
            row.Boolean("ACME"));
    }
}
