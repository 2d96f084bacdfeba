using Smallstep.Pki.Storage.GoJson;

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
    public static byte[] Encode(RevocationRecord record) =>
        new GoJsonWriter().BeginObject()
            .String("Serial", record.Serial)
            .String("ProvisionerID", record.ProvisionerId)
            .Number("ReasonCode", record.ReasonCode)
            .String("Reason", record.Reason)
            .Time("RevokedAt", record.RevokedAt)
            .Time("ExpiresAt", record.ExpiresAt)
            .String("TokenID", record.TokenId)
            .Boolean("MTLS", record.Mtls)
            .Boolean("ACME", record.Acme)
            .EndObject()
            .ToArray();

    /// <summary>Decodes like Go's <c>json.Unmarshal</c> into <c>RevokedCertificateInfo</c>.</summary>
    /// <exception cref="Errors.PkiException">Kind Internal: the row is not such JSON.</exception>
    public static RevocationRecord Decode(ReadOnlySpan<byte> json, string serial)
    {
        var row = GoJsonObject.Parse(json, $"{StepTables.RevokedX509Certs} row {serial}");
        return new RevocationRecord(
            row.String("Serial"),
            row.String("ProvisionerID"),
            row.Int32("ReasonCode"),
            row.String("Reason"),
            row.Time("RevokedAt"),
            row.Time("ExpiresAt"),
            row.String("TokenID"),
            row.Boolean("MTLS"),
            row.Boolean("ACME"));
    }
}
