using Smallstep.Pki.Kms.KeyUris;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Kms.Remote;

namespace Smallstep.Pki.Kms.Azure;

/// <summary>
/// What a ca.json <c>kms</c> block of type <c>azurekms</c> configures, read as step's
/// <c>createCredentials</c> and <c>New</c> do: <c>kms.uri</c>
/// (<c>azurekms:client-id=...;client-secret=...;tenant-id=...;environment=...;aad-endpoint=...;vault=...;hsm=true</c>)
/// gives a client secret credential when all three of client-id, client-secret and tenant-id are
/// set, else <see cref="DefaultAzureCredential"/> (environment variables, workload and managed
/// identity, Azure CLI), the cloud, the default vault and protection.
/// </summary>
internal sealed class AzureKmsConnection
{
    private AzureKmsConnection(TokenCredential credential, string credentialSource, AzureCloud cloud, AzureKmsDefaults defaults)
    {
        Credential = credential;
        CredentialSource = credentialSource;
        Cloud = cloud;
        Defaults = defaults;
    }

    /// <summary>The Entra credential.</summary>
    public TokenCredential Credential { get; }

    /// <summary>Where the credential came from, for errors (never a secret).</summary>
    public string CredentialSource { get; }

    /// <summary>The Azure cloud.</summary>
    public AzureCloud Cloud { get; }

    /// <summary>The default vault and protection of key names.</summary>
    public AzureKmsDefaults Defaults { get; }

    /// <summary>Reads the block; <paramref name="transport"/> carries the token requests (the trust of the token endpoint).</summary>
    /// <exception cref="Errors.PkiException">BadRequest naming <c>kms.uri</c> for a malformed URI or unknown environment.</exception>
    public static AzureKmsConnection From(KmsConfig kms, HttpPipelineTransport transport)
    {
        ArgumentNullException.ThrowIfNull(kms);
        var uri = string.IsNullOrEmpty(kms.Uri) ? null : KmsUri.Parse(kms.Uri, AzureKeyName.Scheme, "kms.uri");
        var cloud = AzureCloud.Named(uri?.Get("environment") ?? string.Empty);
        var aadEndpoint = uri?.Get("aad-endpoint") ?? string.Empty;
        if (aadEndpoint.Length > 0)
        {
            cloud = cloud with { AuthorityHost = Uri.TryCreate(aadEndpoint, UriKind.Absolute, out var host) && host.Scheme == Uri.UriSchemeHttps ? host
                : throw Errors.PkiException.BadRequest("kms.uri: aad-endpoint must be an https URL") };
        }
        var defaults = new AzureKmsDefaults(uri?.Get("vault") is { Length: > 0 } vault ? vault : null, uri?.GetBool("hsm") ?? false);
        var clientId = uri?.Get("client-id") ?? string.Empty;
        var clientSecret = uri?.Get("client-secret") ?? string.Empty;
        var tenantId = uri?.Get("tenant-id") ?? string.Empty;
        if (clientId.Length > 0 && clientSecret.Length > 0 && tenantId.Length > 0)
        {
            var options = new ClientSecretCredentialOptions { AuthorityHost = cloud.AuthorityHost, Transport = transport };
            if (aadEndpoint.Length > 0)
            {
                // A private or local Entra endpoint is not in Microsoft's instance-discovery list.
                options.DisableInstanceDiscovery = true;
            }
            return new AzureKmsConnection(new ClientSecretCredential(tenantId, clientId, clientSecret, options), "the client credentials in kms.uri (client-id, client-secret, tenant-id)", cloud, defaults);
        }
        var defaultOptions = new DefaultAzureCredentialOptions { AuthorityHost = cloud.AuthorityHost, Transport = transport };
        if (tenantId.Length > 0)
        {
            defaultOptions.TenantId = tenantId;
        }
        return new AzureKmsConnection(new DefaultAzureCredential(defaultOptions), "the default Azure credentials (environment, managed identity, Azure CLI)", cloud, defaults);
    }
}
