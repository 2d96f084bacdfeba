using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Aws;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers step's AWS KMS key manager.</summary>
public static class AwsKmsPkiBuilderExtensions
{
    /// <summary>awskms: <c>kms.type</c> <c>awskms</c> and key URIs <c>awskms:</c> (and step's short <c>aws:</c>).</summary>
    public static KeyManagerRegistration AwsKmsRegistration { get; } = new("awskms", ["awskms", "aws"],
        (context, _) => ValueTask.FromResult<IKeyManager>(AwsKeyManager.Create(
            context.Kms,
            context.Services.GetRequiredService<IOptions<AwsKmsOptions>>().Value,
            context.Services.GetService<ILoggerFactory>())))
    {
        AddMethod = "AddAwsKms()",
    };

    /// <summary>
    /// Registers AWS KMS as the key manager for <c>kms.type</c> <c>awskms</c> and <c>awskms:</c> key
    /// URIs (<see cref="AwsKmsRegistration"/>): the authority creates an <see cref="AwsKeyManager"/>
    /// from ca.json's <c>kms</c> block at start-up and a fresh one on each reload. Calling this twice
    /// registers once; each <paramref name="configure"/> is applied to <see cref="AwsKmsOptions"/> in
    /// call order.
    /// </summary>
    /// <param name="builder">The CA builder from <c>AddPki()</c>.</param>
    /// <param name="configure">Endpoint, RSA signing scheme, credentials or SDK settings beyond ca.json.</param>
    public static PkiBuilder AddAwsKms(this PkiBuilder builder, Action<AwsKmsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<AwsKmsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        return builder.AddKeyManager(AwsKmsRegistration);
    }
}
