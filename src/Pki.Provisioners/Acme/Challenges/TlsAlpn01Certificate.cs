using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// The checks of the tls-alpn-01 validation certificate (RFC 8737 §3): exactly one
/// subjectAltName entry, the dNSName (case-insensitive, RFC 4343) or iPAddress (RFC 8738 §6) being
/// validated; a critical <c>id-pe-acmeIdentifier</c> extension whose value is, DER-exact, an
/// OCTET STRING of SHA-256(key authorization); no extension of the obsolete draft OID.
/// </summary>
internal static class TlsAlpn01Certificate
{
    /// <summary><c>id-pe-acmeIdentifier</c> (RFC 8737 §6.1).</summary>
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    /// <summary>The extension OID of draft-ietf-acme-tls-alpn-01 and earlier, which RFC 8737 replaced.</summary>
    public const string ObsoleteAcmeIdentifierOid = "1.3.6.1.5.5.7.1.30.1";

    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>Checks the DER leaf certificate <paramref name="der"/> for <paramref name="target"/>.</summary>
    public static AcmeChallengeOutcome Check(byte[] der, AcmeChallengeTarget target, string keyAuthorization)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return Incorrect("the certificate cannot be parsed");
        }
        using (certificate)
        {
            var extensions = certificate.Extensions.ToList();
            if (extensions.Any(e => e.Oid?.Value == ObsoleteAcmeIdentifierOid))
            {
                return Incorrect($"the certificate carries the obsolete extension {ObsoleteAcmeIdentifierOid}; RFC 8737 uses {AcmeIdentifierOid}");
            }
            var names = extensions.Where(e => e.Oid?.Value == SubjectAltNameOid).ToList();
            if (names.Count != 1 || !HasOnlyName(names[0].RawData, target))
            {
                return Incorrect($"the certificate must have exactly one subjectAltName, {target.Name}");
            }
            var acme = extensions.Where(e => e.Oid?.Value == AcmeIdentifierOid).ToList();
            if (acme.Count != 1)
            {
                return Incorrect($"the certificate must have exactly one {AcmeIdentifierOid} (acmeIdentifier) extension");
            }
            if (!acme[0].Critical)
            {
                return Incorrect($"the {AcmeIdentifierOid} (acmeIdentifier) extension must be critical");
            }
            var expected = SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization));
            var value = acme[0].RawData;
            // DER of OCTET STRING (SIZE (32)): tag 0x04, length 0x20, the digest (RFC 8737 §3).
            if (value.Length != 2 + expected.Length || value[0] != 0x04 || value[1] != expected.Length)
            {
                return Incorrect($"the {AcmeIdentifierOid} (acmeIdentifier) extension is not an OCTET STRING of 32 bytes");
            }
            return CryptographicOperations.FixedTimeEquals(value.AsSpan(2), expected)
                ? AcmeChallengeOutcome.Valid
                : Incorrect($"the {AcmeIdentifierOid} (acmeIdentifier) extension is not SHA-256 of the key authorization; expected {Convert.ToHexStringLower(expected)}, got {Convert.ToHexStringLower(value.AsSpan(2))}");
        }
    }

    // GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName (RFC 5280 §4.2.1.6);
    // dNSName [2] IA5String, iPAddress [7] OCTET STRING.
    private static bool HasOnlyName(byte[] extensionValue, AcmeChallengeTarget target)
    {
        try
        {
            var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var tag = names.PeekTag();
            bool matches;
            if (target.Address is null && tag == new Asn1Tag(TagClass.ContextSpecific, 2))
            {
                matches = string.Equals(names.ReadCharacterString(UniversalTagNumber.IA5String, tag), target.Name, StringComparison.OrdinalIgnoreCase);
            }
            else if (target.Address is { } address && tag == new Asn1Tag(TagClass.ContextSpecific, 7))
            {
                matches = names.ReadOctetString(tag).AsSpan().SequenceEqual(address.GetAddressBytes());
            }
            else
            {
                return false;
            }
            return matches && !names.HasData;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static AcmeChallengeOutcome Incorrect(string detail) =>
        new(AcmeChallengeVerdict.Invalid, "incorrectResponse", "incorrect tls-alpn-01 certificate: " + detail);
}
