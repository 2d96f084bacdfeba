using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.GoogleCloud;
using Smallstep.Pki.TestServers.GoogleCloudKms;

namespace Smallstep.Pki.Tests.Host.Kms;

/// <summary>
/// The host with its intermediate and SSH CA keys in the local Cloud KMS server, named in ca.json by
/// plain resource names with <c>"kms": {"type": "cloudkms", "uri": "cloudkms:credentials-file=..."}</c>
/// as step-ca's Cloud KMS guide configures it; the endpoint and TLS root come from
/// <c>PKI_CLOUDKMS_ENDPOINT</c> and <c>PKI_KMS_CA_FILE</c>.
/// </summary>
[NonParallelizable]
public sealed class GoogleCloudKmsServedPkiTests : KmsServedPkiTests
{
    private GoogleCloudKmsServer _server = null!;
    private string _credentialsFile = null!;

    private protected override int ServerSignatures => _server.Signatures;

    private protected override (string KeyName, string Reason) MissingKey =>
        ("projects/smallstep/locations/global/keyRings/step-ca/cryptoKeys/absent/cryptoKeyVersions/1", "cloudKMS GetPublicKey failed: NOT_FOUND");

    private protected override async Task StartKmsAsync(string workDirectory)
    {
        _server = await GoogleCloudKmsServer.StartAsync();
        _credentialsFile = _server.AddServiceAccount("step-ca").WriteKeyFile(workDirectory);
        Environment.SetEnvironmentVariable(GoogleCloudKmsOptions.EndpointVariable, _server.Endpoint.AbsoluteUri);
        Environment.SetEnvironmentVariable("PKI_KMS_CA_FILE", GoogleCloudKmsServer.RootPemFile);
    }

    private protected override async ValueTask StopKmsAsync()
    {
        Environment.SetEnvironmentVariable(GoogleCloudKmsOptions.EndpointVariable, null);
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private protected override async Task<IKeyManager> ManagerAsync() =>
        await GoogleCloudKeyManager.CreateAsync(new KmsConfig { Type = "cloudkms", CredentialsFile = _credentialsFile }, new GoogleCloudKmsOptions(),
            TimeProvider.System, NullLogger<GoogleCloudKeyManager>.Instance);

    private protected override string NewKeyName(string purpose) => $"projects/smallstep/locations/global/keyRings/step-ca/cryptoKeys/{purpose}";

    private protected override string ConfigKeyName(CreatedKey key) => key.KeyUri["cloudkms:".Length..];

    private protected override JsonObject KmsBlock() => new() { ["type"] = "cloudkms", ["uri"] = $"cloudkms:credentials-file={_credentialsFile}" };
}
