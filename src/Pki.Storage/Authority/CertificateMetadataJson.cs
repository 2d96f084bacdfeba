using Smallstep.Pki.Go;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// The <c>x509_certs_data</c> value: step-ca's <c>CertificateData</c> (certificates db/db.go)
/// <c>{"provisioner":{"id","name","type"},"ra":{...}}</c>, both members <c>omitempty</c>; the
/// <c>ra</c> members (<c>provisioner.RAInfo</c>) are <c>omitempty</c> too.
/// </summary>
internal static class CertificateMetadataJson
{
    /// <summary>Encodes like Go's <c>json.Marshal(CertificateData)</c>.</summary>
    public static byte[] Encode(CertificateMetadata metadata) => GoJsonEncoder.Encode(
        json =>
        {
            json.WriteStartObject();
            if (metadata.Provisioner is { } provisioner)
            {
                json.WriteStartObject("provisioner");
                json.WriteString("id", provisioner.Id);
                json.WriteString("name", provisioner.Name);
                json.WriteString("type", provisioner.Type);
                json.WriteEndObject();
            }
            if (metadata.RegistrationAuthority is { } ra)
            {
                json.WriteStartObject("ra");
                json.StringIfSet("authorityId", ra.AuthorityId);
                json.StringIfSet("endpointId", ra.EndpointId);
                json.StringIfSet("provisionerId", ra.ProvisionerId);
                json.StringIfSet("provisionerType", ra.ProvisionerType);
                json.StringIfSet("provisionerName", ra.ProvisionerName);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        },
        StoredRowJson.Format);

    /// <summary>Decodes like Go's <c>json.Unmarshal</c> into <c>CertificateData</c>.</summary>
    /// <exception cref="Errors.PkiException">Kind Internal: the row is not such JSON.</exception>
    public static CertificateMetadata Decode(ReadOnlySpan<byte> json, string serial)
    {
        var row = StoredRowJson.Unmarshal(json, $"{StepTables.X509CertsData} row {serial}");
        var provisioner = row.Object("provisioner") is { } p
            ? new ProvisionerReference(p.String("id") ?? "", p.String("name") ?? "", p.String("type") ?? "")
            : null;
        var ra = row.Object("ra") is { } r
            ? new RegistrationAuthorityInfo(
                NullIfEmpty(r.String("authorityId")),
                NullIfEmpty(r.String("endpointId")),
                NullIfEmpty(r.String("provisionerId")),
                NullIfEmpty(r.String("provisionerType")),
                NullIfEmpty(r.String("provisionerName")))
            : null;
        return new CertificateMetadata(provisioner, ra);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
