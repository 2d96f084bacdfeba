using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests;

/// <summary>Certificates made with .NET's <see cref="CertificateRequest"/>, independently of the code under test.</summary>
internal static class SelfSignedCertificates
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
}
