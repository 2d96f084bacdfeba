using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>tls-alpn-01 validation certificates (RFC 8737 §3), right and deliberately wrong, built with .NET's CertificateRequest.</summary>
internal static class AlpnCertificates
{
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    /// <summary>DER OCTET STRING of SHA-256 of the token's key authorization: the right extension value.</summary>
    public static byte[] Digest(string token)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(SHA256.HashData(Encoding.UTF8.GetBytes(ChallengeTestKit.KeyAuthorization(token))));
        return writer.Encode();
    }

    /// <summary>A self-signed certificate with the right extension for <paramref name="token"/> and the given SANs.</summary>
    public static X509Certificate2 For(string token, params string[] names) =>
        Create(names, [new X509Extension(AcmeIdentifierOid, Digest(token), critical: true)]);

    /// <summary>
    /// A self-signed certificate with these subjectAltName entries — a DNS name as given (no case
    /// folding), an IP address, or <c>email:</c> followed by an rfc822Name — and these extensions.
    /// </summary>
    public static X509Certificate2 Create(IReadOnlyCollection<string> names, IEnumerable<X509Extension> extensions)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=acme-tls/1 challenge", key, HashAlgorithmName.SHA256);
        if (names.Count > 0)
        {
            request.CertificateExtensions.Add(new X509Extension("2.5.29.17", SubjectAltName(names), critical: false));
        }
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    // GeneralNames (RFC 5280 §4.2.1.6): rfc822Name [1], dNSName [2], iPAddress [7].
    private static byte[] SubjectAltName(IEnumerable<string> names)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var name in names)
            {
                if (name.StartsWith("email:", StringComparison.Ordinal))
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, name["email:".Length..], new Asn1Tag(TagClass.ContextSpecific, 1));
                }
                else if (IPAddress.TryParse(name, out var address))
                {
                    writer.WriteOctetString(address.GetAddressBytes(), new Asn1Tag(TagClass.ContextSpecific, 7));
                }
                else
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2));
                }
            }
        }
        return writer.Encode();
    }
}
