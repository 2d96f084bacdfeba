using Microsoft.Extensions.Logging;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Aws;

namespace Smallstep.Pki.Tests.Kms.Aws;

/// <summary>What awskms logs (key ids, region, endpoint; never a secret) and its error when no region is known.</summary>
[TestFixture]
public sealed class AwsKmsDiagnosticsTests
{
    [Test]
    public async Task Logs_name_keys_and_endpoints_but_never_the_secret()
    {
        await using var kms = await LocalAwsKms.StartAsync();
        var lines = new List<string>();
        using var loggers = new CapturingLoggerFactory(lines);
        await using var manager = AwsKeyManager.Create(kms.Kms, new AwsKmsOptions(), loggers);

        var created = await manager.CreateKeyAsync(new CreateKeyRequest("logged", KeyAlgorithm.EcdsaP256));
        await manager.GetSignerAsync(created.KeyUri);

        lines.Should().Contain(l => l.Contains("awskms client: region us-east-2, endpoint https://127.0.0.1:", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("created", StringComparison.Ordinal) && l.Contains("alias/logged-", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("opened", StringComparison.Ordinal) && l.Contains("ECDSA_SHA_256", StringComparison.Ordinal));
        lines.Should().NotContain(l => l.Contains(LocalAwsKms.SecretAccessKey, StringComparison.Ordinal) || l.Contains(LocalAwsKms.AccessKeyId, StringComparison.Ordinal));
    }

    [Test]
    public async Task Without_any_region_or_endpoint_the_error_says_where_to_set_one()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_REGION")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")))
        {
            Assert.Ignore("AWS_REGION is set in this environment, so the SDK has a region");
        }
        var open = async () =>
        {
            await using var manager = AwsKeyManager.Create(new KmsConfig { Type = "awskms" }, new AwsKmsOptions { Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIAX", "secret") });
            await manager.GetPublicKeyAsync("awskms:key-id=alias/x");
        };

        var error = (await open.Should().ThrowAsync<Exception>()).Which;
        error.Message.Should().Contain("kms.region").And.Contain("RegionEndpoint");
    }

    private sealed class CapturingLoggerFactory(List<string> lines) : ILoggerFactory, ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
