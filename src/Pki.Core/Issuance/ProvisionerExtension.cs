using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// step's provisioner extension (OID 1.3.6.1.4.1.37476.9000.64.1, non-critical):
/// <c>SEQUENCE { type INTEGER, name OCTET STRING, credentialID OCTET STRING, keyValuePairs SEQUENCE OF UTF8String OPTIONAL }</c>
/// (authority/provisioner/extension.go).
/// </summary>
public static class ProvisionerExtension
{
    /// <summary>The extension OID.</summary>
    public const string Oid = Oids.StepProvisioner;

    /// <summary>Encodes the extension value.</summary>
    public static byte[] Encode(int typeCode, string name, string credentialId, IReadOnlyList<string>? keyValuePairs = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(typeCode);
            writer.WriteOctetString(Encoding.UTF8.GetBytes(name));
            writer.WriteOctetString(Encoding.UTF8.GetBytes(credentialId));
            if (keyValuePairs is { Count: > 0 })
            {
                using (writer.PushSequence())
                {
                    foreach (var item in keyValuePairs)
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, item);
                    }
                }
            }
        }
        return writer.Encode();
    }

    /// <summary>Reads the extension from a certificate; null when absent or malformed.</summary>
    public static (int TypeCode, string Name, string CredentialId)? Read(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != Oid)
            {
                continue;
            }
            return Decode(extension.RawData);
        }
        return null;
    }

    /// <summary>
    /// Decodes the extension value (the extnValue contents); null when malformed. A value without
    /// <c>credentialID</c> reads with an empty one (stored certificates are read leniently).
    /// </summary>
    public static (int TypeCode, string Name, string CredentialId)? Decode(ReadOnlySpan<byte> value)
    {
        try
        {
            var seq = new AsnReader(value.ToArray(), AsnEncodingRules.DER).ReadSequence();
            if (!seq.TryReadInt32(out var type))
            {
                return null;
            }
            var name = Encoding.UTF8.GetString(seq.ReadOctetString());
            var credential = seq.HasData ? Encoding.UTF8.GetString(seq.ReadOctetString()) : string.Empty;
            return (type, name, credential);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
