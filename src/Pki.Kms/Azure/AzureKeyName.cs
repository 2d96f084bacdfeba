using Smallstep.Pki.Kms.KeyUris;
using System.Text.RegularExpressions;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Remote;

namespace Smallstep.Pki.Kms.Azure;

/// <summary>
/// A Key Vault key named as step's <c>kms/azurekms</c> <c>parseKeyName</c> reads it:
/// <c>azurekms:name=KEY;vault=VAULT?version=VERSION&amp;hsm=true</c>, the vault and HSM flag
/// defaulting to the <c>kms.uri</c>'s. Unlike step, names are checked against Key Vault's grammar
/// before they go into a URL (vault 3-24 letters, digits and hyphens; key 1-127; version
/// alphanumeric), so a hostile name cannot reach another path or host.
/// </summary>
/// <param name="Vault">The vault name (the first DNS label of its URL).</param>
/// <param name="Name">The key name.</param>
/// <param name="Version">The key version, empty for the latest.</param>
/// <param name="Hsm">True to create an HSM-protected key (<c>EC-HSM</c>, <c>RSA-HSM</c>).</param>
internal sealed partial record AzureKeyName(string Vault, string Name, string Version, bool Hsm)
{
    /// <summary>The key URI scheme.</summary>
    public const string Scheme = "azurekms";

    /// <summary>Parses a key URI with the <c>kms.uri</c>'s defaults.</summary>
    /// <exception cref="PkiException">BadRequest naming what is missing or malformed.</exception>
    public static AzureKeyName Parse(string keyUri, AzureKmsDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(keyUri);
        var uri = KmsUri.Parse(keyUri, Scheme, "the azurekms key name");
        var name = uri.Get("name");
        if (name.Length == 0)
        {
            throw PkiException.BadRequest("azurekms key name is not valid: name is missing");
        }
        var vault = uri.Get("vault");
        if (vault.Length == 0)
        {
            vault = defaults.Vault ?? throw PkiException.BadRequest("azurekms key name is not valid: vault is missing");
        }
        var hsm = uri.Get("hsm").Length == 0 ? defaults.Hsm : uri.GetBool("hsm");
        var version = uri.Get("version");
        if (!VaultPattern().IsMatch(vault) || !NamePattern().IsMatch(name) || !VersionPattern().IsMatch(version))
        {
            throw PkiException.BadRequest("azurekms key name is not valid: vault must be 3-24 letters, digits or hyphens, name 1-127, version letters and digits");
        }
        return new AzureKeyName(vault, name, version, hsm);
    }

    /// <summary>The URI step prints for a key version: <c>azurekms:name=KEY;vault=VAULT?version=VERSION</c> (attributes sorted as Go's <c>url.Values.Encode</c>).</summary>
    public string ToUri(string version) => $"{Scheme}:name={Name};vault={Vault}" + (version.Length > 0 ? $"?version={version}" : "");

    [GeneratedRegex("^[a-zA-Z0-9-]{3,24}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex VaultPattern();

    [GeneratedRegex("^[a-zA-Z0-9-]{1,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z0-9]{0,64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}

/// <summary>What a <c>kms.uri</c> sets for every key: the default vault and HSM protection.</summary>
internal sealed record AzureKmsDefaults(string? Vault, bool Hsm);
