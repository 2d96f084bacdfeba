using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Authority;

/// <summary>Reads PEM certificate files and bundles (<c>root</c>, <c>crt</c>, <c>federatedRoots</c>).</summary>
public static class CertificateFiles
{
    /// <summary>Every certificate in a PEM file, in file order; throws <see cref="CaConfigException"/> naming <paramref name="field"/>.</summary>
    public static IReadOnlyList<X509Certificate2> LoadBundle(string path, string field)
    {
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            if (collection.Count == 0)
            {
                throw new CryptographicException("no PEM certificate found");
            }
            return [.. collection];
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(field, $"error reading {path}: {e.Message}")]);
        }
    }
}
