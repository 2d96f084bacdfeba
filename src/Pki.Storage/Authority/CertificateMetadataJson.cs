using Smallstep.Pki.Storage.GoJson;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// The <c>x509_certs_data</c> value: step-ca's <c>CertificateData</c> (certificates db/db.go)
/// <c>{"provisioner":{"id","name","type"},"ra":{...}}</c>, both members <c>omitempty</c>; the
/// <c>ra</c> members (<c>provisioner.RAInfo</c>) are <c>omitempty</c> too.
/// </summary>
internal static class CertificateMetadataJson
{
    /// <summary>Encodes like Go's <c>json.Marshal(CertificateData)</c>.</summary>
    public static byte[] Encode(CertificateMetadata metadata)
    {
        var json = new GoJsonWriter().BeginObject();
        if (metadata.Provisioner is { } provisioner)
        {
            json.Name("provisioner").BeginObject()
                .String("id", provisioner.Id)
                .String("name", provisioner.Name)
                .String("type", provisioner.Type)
                .EndObject();
        }
        if (metadata.RegistrationAuthority is { } ra)
        {
            json.Name("ra").BeginObject()
                .StringOmitEmpty("authorityId", ra.AuthorityId)
                .StringOmitEmpty("endpointId", ra.EndpointId)
                .StringOmitEmpty("provisionerId", ra.ProvisionerId)
                .StringOmitEmpty("provisionerType", ra.ProvisionerType)
                .StringOmitEmpty("provisionerName", ra.ProvisionerName)
                .EndObject();
        }
        return json.EndObject().ToArray();
    }

    /// <summary>Decodes like Go's <c>json.Unmarshal</c> into <c>CertificateData</c>.</summary>
    /// <exception cref="Errors.PkiException">Kind Internal: the row is not such JSON.</exception>
    public static CertificateMetadata Decode(ReadOnlySpan<byte> json, string serial)
    {
        var row = GoJsonObject.Parse(json, $"{StepTables.X509CertsData} row {serial}");
        var provisioner = row.Object("provisioner") is { } p
            ? new ProvisionerReference(p.String("id"), p.String("name"), p.String("type"))
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

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
