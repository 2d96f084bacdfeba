using System.Formats.Asn1;

namespace Smallstep.Pki.Issuance;

/// <summary>A certificate extension (RFC 5280 §4.1.2.9): OID, criticality and DER value.</summary>
/// <param name="Oid">The extension id, dotted.</param>
/// <param name="Critical">Whether the extension is critical.</param>
/// <param name="Value">The DER content of the extnValue OCTET STRING.</param>
public sealed record CertificateExtension(string Oid, bool Critical, byte[] Value)
{
    /// <summary>Reads a SEQUENCE OF Extension.</summary>
    internal static List<CertificateExtension> ReadExtensions(AsnReader sequence)
    {
        var list = new List<CertificateExtension>();
        while (sequence.HasData)
        {
            var ext = sequence.ReadSequence();
            var oid = ext.ReadObjectIdentifier();
            var critical = ext.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && ext.ReadBoolean();
            var value = ext.ReadOctetString();
            ext.ThrowIfNotEmpty();
            list.Add(new CertificateExtension(oid, critical, value));
        }
        return list;
    }

    /// <summary>Writes this extension as an Extension SEQUENCE (DEFAULT FALSE criticality omitted, X.690 §11.5).</summary>
    internal void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oid);
            if (Critical)
            {
                writer.WriteBoolean(true);
            }
            writer.WriteOctetString(Value);
        }
    }
}
