using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Kms.GoogleCloud;
using Smallstep.Pki.TestServers.GoogleCloudKms;

namespace Smallstep.Pki.Tests.Kms.GoogleCloud;

/// <summary>The local Cloud KMS server with a permitted service account's key file, and managers pointed at it.</summary>
internal sealed class LocalGoogleCloudKms : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private int _next;

    private LocalGoogleCloudKms(GoogleCloudKmsServer server)
    {
        Server = server;
        CredentialsFile = server.AddServiceAccount("step-ca").WriteKeyFile(_dir.Path);
    }

    public GoogleCloudKmsServer Server { get; }

    /// <summary>The key file of a service account with Cloud KMS permissions.</summary>
    public string CredentialsFile { get; }

    /// <summary>A directory for more key files.</summary>
    public string Directory => _dir.Path;

    public static async Task<LocalGoogleCloudKms> StartAsync() => new(await GoogleCloudKmsServer.StartAsync());

    /// <summary>Options pointing at the local server and trusting its TLS root.</summary>
    public GoogleCloudKmsOptions Options(TimeSpan? pollInterval = null) => new()
    {
        Endpoint = Server.Endpoint,
        ExtraRootsFile = GoogleCloudKmsServer.RootPemFile,
        KeyGenerationPollInterval = pollInterval ?? TimeSpan.FromSeconds(1),
    };

    /// <summary>A manager for a kms block with <c>uri: cloudkms:credentials-file=...</c>.</summary>
    public Task<GoogleCloudKeyManager> ManagerAsync(string? credentialsFile = null, GoogleCloudKmsOptions? options = null, TimeProvider? time = null) =>
        GoogleCloudKeyManager.CreateAsync(new KmsConfig { Type = "cloudkms", Uri = $"cloudkms:credentials-file={credentialsFile ?? CredentialsFile}" },
            options ?? Options(), time ?? TimeProvider.System, NullLogger<GoogleCloudKeyManager>.Instance);

    /// <summary>A crypto key name nobody used yet, in a fresh key ring.</summary>
    public string NewCryptoKeyName()
    {
        var n = Interlocked.Increment(ref _next);
        return $"projects/local-test/locations/global/keyRings/ring-{n}/cryptoKeys/key-{n}";
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
