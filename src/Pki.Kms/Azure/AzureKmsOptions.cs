namespace Smallstep.Pki.Kms.Azure;

/// <summary>
/// Settings of the Azure Key Vault key manager that ca.json does not carry. Defaults come from the
/// environment so a host started from the command line can be pointed at a private endpoint.
/// </summary>
public sealed class AzureKmsOptions
{
    /// <summary>The environment variable overriding <see cref="VaultUrlTemplate"/>.</summary>
    public const string VaultUrlVariable = "PKI_AZUREKMS_VAULT_URL";

    /// <summary>
    /// The vault URL with <c>{vault}</c> where the vault name goes, e.g.
    /// <c>https://{vault}.privatelink.vaultcore.azure.net/</c> or a local test server
    /// <c>https://127.0.0.1:8443/{vault}/</c>; null (the default, unless <c>PKI_AZUREKMS_VAULT_URL</c>
    /// is set) is <c>https://{vault}.&lt;the cloud's DNS suffix&gt;/</c> as step builds it.
    /// </summary>
    public string? VaultUrlTemplate { get; set; } = Environment.GetEnvironmentVariable(VaultUrlVariable) is { Length: > 0 } template ? template : null;

    /// <summary>
    /// A PEM file of extra root certificates trusted for the vault and the Entra token endpoint,
    /// besides the system's; default from <c>PKI_KMS_CA_FILE</c>.
    /// </summary>
    public string? ExtraRootsFile { get; set; } = Environment.GetEnvironmentVariable(Remote.KmsTls.ExtraRootsVariable);
}
