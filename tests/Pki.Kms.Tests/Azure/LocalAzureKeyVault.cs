using Smallstep.Pki.Configuration;
using Smallstep.Pki.Kms.Azure;
using Smallstep.Pki.TestServers.AzureKeyVault;

namespace Smallstep.Pki.Tests.Kms.Azure;

/// <summary>The local Key Vault and Entra server with a permitted application, and managers pointed at it.</summary>
internal sealed class LocalAzureKeyVault : IAsyncDisposable
{
    private int _next;

    private LocalAzureKeyVault(AzureKeyVaultServer server)
    {
        Server = server;
        Application = server.AddApplication();
    }

    public AzureKeyVaultServer Server { get; }

    /// <summary>An application with Key Vault permissions.</summary>
    public EntraApplication Application { get; }

    public static async Task<LocalAzureKeyVault> StartAsync() => new(await AzureKeyVaultServer.StartAsync());

    /// <summary>The <c>kms.uri</c> with an application's client credentials and the local Entra endpoint (values percent-encoded).</summary>
    public string KmsUri(EntraApplication? application = null, string? clientSecret = null, string extra = "")
    {
        var app = application ?? Application;
        return $"azurekms:client-id={app.ClientId};client-secret={Uri.EscapeDataString(clientSecret ?? app.ClientSecret)};tenant-id={app.TenantId};aad-endpoint={Uri.EscapeDataString(Server.BaseAddress.AbsoluteUri)}{extra}";
    }

    /// <summary>Options pointing at the local vaults and trusting the server's TLS root.</summary>
    public AzureKmsOptions Options() => new() { VaultUrlTemplate = Server.VaultUrlTemplate, ExtraRootsFile = AzureKeyVaultServer.RootPemFile };

    /// <summary>A manager for a kms block with the given (default: the permitted application's) URI.</summary>
    public AzureKeyVaultManager Manager(string? kmsUri = null) =>
        AzureKeyVaultManager.Create(new KmsConfig { Type = "azurekms", Uri = kmsUri ?? KmsUri() }, Options());

    /// <summary>A key name nobody used yet.</summary>
    public string NewKeyName(string vault = "vault-a") => $"azurekms:name=key-{Interlocked.Increment(ref _next)};vault={vault}";

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
