using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Azure;

/// <summary>
/// The Azure clouds of step's <c>getCloudConfiguration</c> (<c>environment</c> in <c>kms.uri</c>):
/// the Entra authority host and the Key Vault DNS suffix.
/// </summary>
/// <param name="AuthorityHost">The Microsoft Entra ID (AAD) authority host.</param>
/// <param name="VaultDnsSuffix">The Key Vault DNS suffix; vaults are <c>https://VAULT.SUFFIX/</c> and tokens are for <c>https://SUFFIX/.default</c>.</param>
internal sealed record AzureCloud(Uri AuthorityHost, string VaultDnsSuffix)
{
    /// <summary>The cloud named by <paramref name="environment"/> (case-insensitive; empty is the public cloud).</summary>
    /// <exception cref="PkiException">BadRequest for an unknown name.</exception>
    public static AzureCloud Named(string environment) => environment.ToUpperInvariant() switch
    {
        "" or "PUBLIC" or "AZURECLOUD" or "AZUREPUBLICCLOUD" => new(new Uri("https://login.microsoftonline.com/"), "vault.azure.net"),
        "USGOV" or "AZUREUSGOVERNMENT" or "AZUREUSGOVERNMENTCLOUD" => new(new Uri("https://login.microsoftonline.us/"), "vault.usgovcloudapi.net"),
        "CHINA" or "AZURECHINACLOUD" => new(new Uri("https://login.chinacloudapi.cn/"), "vault.azure.cn"),
        "GERMAN" or "GERMANY" or "AZUREGERMANCLOUD" => new(new Uri("https://login.microsoftonline.de/"), "vault.microsoftazure.de"),
        _ => throw PkiException.BadRequest($"kms.uri: unknown key vault cloud environment with name \"{environment}\""),
    };

    /// <summary>The OAuth scope of Key Vault in this cloud.</summary>
    public string Scope => $"https://{VaultDnsSuffix}/.default";
}
