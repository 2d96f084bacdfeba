using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>
/// step's key usage and extended key usage names (x509util extensions.go), compared
/// case-insensitively and ignoring underscores as x509util's <c>convertName</c> does.
/// </summary>
internal static class UsageNames
{
    private static readonly Dictionary<string, KeyUsageFlags> KeyUsages = new(StringComparer.Ordinal)
    {
        ["digitalsignature"] = KeyUsageFlags.DigitalSignature,
        ["contentcommitment"] = KeyUsageFlags.ContentCommitment,
        ["nonrepudiation"] = KeyUsageFlags.ContentCommitment,
        ["keyencipherment"] = KeyUsageFlags.KeyEncipherment,
        ["dataencipherment"] = KeyUsageFlags.DataEncipherment,
        ["keyagreement"] = KeyUsageFlags.KeyAgreement,
        ["certsign"] = KeyUsageFlags.CertSign,
        ["crlsign"] = KeyUsageFlags.CrlSign,
        ["encipheronly"] = KeyUsageFlags.EncipherOnly,
        ["decipheronly"] = KeyUsageFlags.DecipherOnly,
    };

    // RFC 5280 §4.2.1.12 and the vendor purposes Go's crypto/x509 knows.
    private static readonly Dictionary<string, string> ExtendedKeyUsages = new(StringComparer.Ordinal)
    {
        ["any"] = "2.5.29.37.0",
        ["serverauth"] = Oids.ServerAuth,
        ["clientauth"] = Oids.ClientAuth,
        ["codesigning"] = "1.3.6.1.5.5.7.3.3",
        ["emailprotection"] = "1.3.6.1.5.5.7.3.4",
        ["ipsecendsystem"] = "1.3.6.1.5.5.7.3.5",
        ["ipsectunnel"] = "1.3.6.1.5.5.7.3.6",
        ["ipsecuser"] = "1.3.6.1.5.5.7.3.7",
        ["timestamping"] = "1.3.6.1.5.5.7.3.8",
        ["ocspsigning"] = "1.3.6.1.5.5.7.3.9",
        ["microsoftservergatedcrypto"] = "1.3.6.1.4.1.311.10.3.3",
        ["netscapeservergatedcrypto"] = "2.16.840.1.113730.4.1",
        ["microsoftcommercialcodesigning"] = "1.3.6.1.4.1.311.2.1.22",
        ["microsoftkernelcodesigning"] = "1.3.6.1.4.1.311.61.1.1",
    };

    public static KeyUsageFlags KeyUsage(IEnumerable<string> names)
    {
        var usage = KeyUsageFlags.None;
        foreach (var name in names)
        {
            usage |= KeyUsages.TryGetValue(Normalize(name), out var flag)
                ? flag
                : throw PkiException.BadRequest($"error applying certificate template: unsupported keyUsage {name}");
        }
        return usage;
    }

    public static IEnumerable<string> ExtendedKeyUsage(IEnumerable<string> names) =>
        names.Select(name => ExtendedKeyUsages.TryGetValue(Normalize(name), out var oid)
            ? oid
            : throw PkiException.BadRequest($"error applying certificate template: unsupported extKeyUsage {name}")).ToList();

    /// <summary>step's names of the set bits, in x509util's <c>KeyUsage.MarshalJSON</c> order.</summary>
    public static List<object?> KeyUsageNames(KeyUsageFlags usage) =>
    [
        .. new (KeyUsageFlags Flag, string Name)[]
        {
            (KeyUsageFlags.DigitalSignature, "digitalSignature"), (KeyUsageFlags.ContentCommitment, "contentCommitment"),
            (KeyUsageFlags.KeyEncipherment, "keyEncipherment"), (KeyUsageFlags.DataEncipherment, "dataEncipherment"),
            (KeyUsageFlags.KeyAgreement, "keyAgreement"), (KeyUsageFlags.CertSign, "certSign"), (KeyUsageFlags.CrlSign, "crlSign"),
            (KeyUsageFlags.EncipherOnly, "encipherOnly"), (KeyUsageFlags.DecipherOnly, "decipherOnly"),
        }.Where(u => usage.HasFlag(u.Flag)).Select(u => (object?)u.Name),
    ];

    /// <summary>Splits EKU OIDs into step's names (camel case, as x509util marshals them) and unknown OIDs.</summary>
    public static (List<object?> Known, List<object?> Unknown) Describe(IEnumerable<string> oids)
    {
        List<object?> known = [], unknown = [];
        foreach (var oid in oids)
        {
            if (CamelNames.TryGetValue(oid, out var name))
            {
                known.Add(name);
            }
            else
            {
                unknown.Add(oid);
            }
        }
        return (known, unknown);
    }

    private static readonly Dictionary<string, string> CamelNames = new[]
    {
        "any", "serverAuth", "clientAuth", "codeSigning", "emailProtection", "ipsecEndSystem", "ipsecTunnel", "ipsecUser", "timeStamping",
        "ocspSigning", "microsoftServerGatedCrypto", "netscapeServerGatedCrypto", "microsoftCommercialCodeSigning", "microsoftKernelCodeSigning",
    }.ToDictionary(name => ExtendedKeyUsages[Normalize(name)], name => name, StringComparer.Ordinal);

    private static string Normalize(string name) => name.ToLowerInvariant().Replace("_", "", StringComparison.Ordinal);
}
