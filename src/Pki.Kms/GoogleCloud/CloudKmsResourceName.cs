using Smallstep.Pki.Kms.KeyUris;
using System.Text.RegularExpressions;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Remote;

namespace Smallstep.Pki.Kms.GoogleCloud;

/// <summary>
/// Cloud KMS resource names of keys, as step's <c>kms/cloudkms</c> <c>resourceName</c> reads a key
/// name: the plain name <c>projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V</c>,
/// <c>cloudkms:projects/...</c> (opaque URI) or <c>cloudkms:resource=projects/...</c>. Unlike step,
/// the name is checked against Cloud KMS's resource-name grammar before it goes into a request URL,
/// so a hostile name cannot reach another path (<c>..</c>, <c>?</c>, <c>%2F</c>).
/// </summary>
internal static partial class CloudKmsResourceName
{
    /// <summary>The key URI scheme.</summary>
    public const string Scheme = "cloudkms";

    /// <summary>The plain resource name of a key name in any of the three forms (not yet validated).</summary>
    /// <exception cref="PkiException">BadRequest for a <c>cloudkms:</c> URI with a malformed escape.</exception>
    public static string Plain(string keyName)
    {
        ArgumentNullException.ThrowIfNull(keyName);
        if (!KmsUri.HasScheme(keyName, Scheme))
        {
            return keyName;
        }
        var uri = KmsUri.Parse(keyName, Scheme, "the cloudkms key name");
        var resource = uri.Get("resource");
        return resource.Length > 0 ? resource : uri.Opaque;
    }

    /// <summary>The validated name of a key version (what is signed with and read).</summary>
    /// <exception cref="PkiException">BadRequest naming the expected format.</exception>
    public static string KeyVersion(string keyName)
    {
        var name = Plain(keyName);
        return VersionPattern().IsMatch(name) ? name
            : throw PkiException.BadRequest($"'{Shown(name)}' is not a Cloud KMS key version name (projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V)");
    }

    /// <summary>The validated name of a crypto key to create, split into its key ring's name and the key's id (step's <c>Parent</c>).</summary>
    /// <exception cref="PkiException">BadRequest naming the expected format.</exception>
    public static (string KeyRing, string KeyId) CryptoKey(string keyName)
    {
        var name = Plain(keyName);
        var match = CryptoKeyPattern().Match(name);
        return match.Success ? (match.Groups["ring"].Value, match.Groups["key"].Value)
            : throw PkiException.BadRequest($"'{Shown(name)}' is not a Cloud KMS crypto key name (projects/P/locations/L/keyRings/R/cryptoKeys/K)");
    }

    /// <summary>A key ring's name split into its location's name and the ring's id.</summary>
    public static (string Location, string KeyRingId) KeyRing(string keyRing)
    {
        var slash = keyRing.LastIndexOf("/keyRings/", StringComparison.Ordinal);
        return (keyRing[..slash], keyRing[(slash + "/keyRings/".Length)..]);
    }

    // Resource IDs are [a-zA-Z0-9_-]{1,63} (Cloud KMS "Object hierarchy"); project IDs and numbers
    // use letters, digits, '-', and '.'/':' for domain-scoped projects, never starting with a dot.
    private const string Ring = "projects/[a-zA-Z0-9][a-zA-Z0-9.:_-]{0,99}/locations/[a-zA-Z0-9_-]{1,63}/keyRings/[a-zA-Z0-9_-]{1,63}";

    [GeneratedRegex("^" + Ring + "/cryptoKeys/[a-zA-Z0-9_-]{1,63}/cryptoKeyVersions/[a-zA-Z0-9_-]{1,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^(?<ring>" + Ring + ")/cryptoKeys/(?<key>[a-zA-Z0-9_-]{1,63})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex CryptoKeyPattern();

    // Names are not secret, but keep hostile input short and printable in messages and logs.
    private static string Shown(string name)
    {
        var printable = new string(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length > 200 ? printable[..200] + "..." : printable;
    }
}
