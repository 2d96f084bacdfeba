using Smallstep.Pki.Configuration;
using Smallstep.Pki.Kms.Aws;
using Smallstep.Pki.TestServers.AwsKms;

namespace Smallstep.Pki.Tests.Kms.Aws;

/// <summary>A local AWS KMS server plus a credentials file pointing at it, for one test class.</summary>
internal sealed class LocalAwsKms : IAsyncDisposable
{
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private readonly string _directory;

    private LocalAwsKms(LocalAwsKmsServer server, string directory)
    {
        Server = server;
        _directory = directory;
        CredentialsFile = server.WriteCredentialsFile(directory);
    }

    public LocalAwsKmsServer Server { get; }

    /// <summary>A credentials file whose <c>default</c> profile reaches <see cref="Server"/>.</summary>
    public string CredentialsFile { get; }

    /// <summary>The kms block a ca.json would have for <see cref="Server"/>.</summary>
    public KmsConfig Kms => new() { Type = "awskms", Uri = $"awskms:credentials-file={CredentialsFile}" };

    public static async Task<LocalAwsKms> StartAsync() =>
        new(await LocalAwsKmsServer.StartAsync(AccessKeyId, SecretAccessKey), Directory.CreateTempSubdirectory("awskms-test-").FullName);

    /// <summary>A manager for <see cref="Kms"/>.</summary>
    public AwsKeyManager CreateManager(AwsKmsOptions? options = null) => AwsKeyManager.Create(Kms, options ?? new AwsKmsOptions());

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
