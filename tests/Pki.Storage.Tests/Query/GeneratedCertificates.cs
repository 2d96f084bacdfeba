using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;

namespace Smallstep.Pki.Tests.Storage.Query;

/// <summary>Certificates made with .NET's <see cref="CertificateRequest"/> and stored the way the authority stores them.</summary>
internal static class GeneratedCertificates
{
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A self-signed leaf with this decimal serial, subject, SANs and validity.</summary>
    public static byte[] Create(string serialDecimal, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, Action<SubjectAlternativeNameBuilder>? sans = null)
    {
        var request = new CertificateRequest(subject, Key, HashAlgorithmName.SHA256);
        if (sans is not null)
        {
            var builder = new SubjectAlternativeNameBuilder();
            sans(builder);
            request.CertificateExtensions.Add(builder.Build());
        }
        var serial = BigInteger.Parse(serialDecimal, System.Globalization.CultureInfo.InvariantCulture).ToByteArray(isUnsigned: false, isBigEndian: true);
        using var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(Key), notBefore, notAfter, serial);
        return certificate.RawData;
    }

    /// <summary>Stores a certificate and its metadata row as <see cref="KeyValueCertificateStore"/> does.</summary>
    public static async Task StoreAsync(IKeyValueStore store, string serial, byte[] der, string provisioner = "ops")
    {
        await new KeyValueCertificateStore(store).RecordAsync(new StoredCertificate(serial, der, new CertificateMetadata(new ProvisionerReference($"{provisioner}:kid", provisioner, "JWK"))), []);
    }

    /// <summary>Stores a leaf valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> for <c>CN=NAME</c>.</summary>
    public static async Task StoreAsync(IKeyValueStore store, string serial, string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        await StoreAsync(store, serial, Create(serial, "CN=" + commonName, notBefore, notAfter, s => s.AddDnsName(commonName)));
}
