using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;

namespace Smallstep.Pki.Tests.Storage.Query;

/// <summary>Certificates (<see cref="SelfSignedCertificates"/>) stored the way the authority stores them.</summary>
internal static class GeneratedCertificates
{
    /// <summary>Stores a certificate and its metadata row as <see cref="KeyValueCertificateStore"/> does.</summary>
    public static async Task StoreAsync(IKeyValueStore store, string serial, byte[] der, string provisioner = "ops")
    {
        await new KeyValueCertificateStore(store).RecordAsync(new StoredCertificate(serial, der, new CertificateMetadata(new ProvisionerReference($"{provisioner}:kid", provisioner, "JWK"))), []);
    }

    /// <summary>Stores a leaf valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> for <c>CN=NAME</c>.</summary>
    public static async Task StoreAsync(IKeyValueStore store, string serial, string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        await StoreAsync(store, serial, SelfSignedCertificates.Create(serial, "CN=" + commonName, notBefore, notAfter, s => s.AddDnsName(commonName)));
}
