namespace Smallstep.Pki.TestServers.AzureKeyVault;

/// <summary>An app registration (service principal) of the local Entra endpoint.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="ClientId">The application (client) id.</param>
/// <param name="ClientSecret">The client secret.</param>
/// <param name="Permitted">False for a principal without a Key Vault role: its tokens get 403 Forbidden.</param>
public sealed record EntraApplication(string TenantId, string ClientId, string ClientSecret, bool Permitted);
