using System.Text.Json.Nodes;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Azure;
using Smallstep.Pki.TestServers.AzureKeyVault;

namespace Smallstep.Pki.Tests.Host.Kms;

/// <summary>
/// The host with its intermediate and SSH CA keys in the local Key Vault server, named in ca.json
/// by <c>azurekms:name=...;vault=...?version=...</c> URIs with client credentials in
/// <c>kms.uri</c> as step-ca's Azure guide configures it (plus <c>aad-endpoint</c> for the local
/// Entra endpoint); the vault URL and TLS root come from <c>PKI_AZUREKMS_VAULT_URL</c> and
/// <c>PKI_KMS_CA_FILE</c>.
/// </summary>
[NonParallelizable]
public sealed class AzureKmsServedPkiTests : KmsServedPkiTests
{
    private AzureKeyVaultServer _server = null!;
    private string _kmsUri = null!;

    private protected override int ServerSignatures => _server.Signatures;

    private protected override (string KeyName, string Reason) MissingKey => ("azurekms:name=absent;vault=step-ca-vault", "keyVault GetKey failed: KeyNotFound");

    private protected override async Task StartKmsAsync(string workDirectory)
    {
        _server = await AzureKeyVaultServer.StartAsync();
        var app = _server.AddApplication();
        _kmsUri = $"azurekms:client-id={app.ClientId};client-secret={Uri.EscapeDataString(app.ClientSecret)};tenant-id={app.TenantId};aad-endpoint={Uri.EscapeDataString(_server.BaseAddress.AbsoluteUri)}";
        Environment.SetEnvironmentVariable(AzureKmsOptions.VaultUrlVariable, _server.VaultUrlTemplate);
        Environment.SetEnvironmentVariable("PKI_KMS_CA_FILE", AzureKeyVaultServer.RootPemFile);
    }

    private protected override async ValueTask StopKmsAsync()
    {
        Environment.SetEnvironmentVariable(AzureKmsOptions.VaultUrlVariable, null);
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private protected override Task<IKeyManager> ManagerAsync() =>
        Task.FromResult<IKeyManager>(AzureKeyVaultManager.Create(new KmsConfig { Type = "azurekms", Uri = _kmsUri }, new AzureKmsOptions()));

    private protected override string NewKeyName(string purpose) => $"azurekms:name={purpose}-key;vault=step-ca-vault";

    private protected override string ConfigKeyName(CreatedKey key) => key.KeyUri;

    private protected override JsonObject KmsBlock() => new() { ["type"] = "azurekms", ["uri"] = _kmsUri };
}
