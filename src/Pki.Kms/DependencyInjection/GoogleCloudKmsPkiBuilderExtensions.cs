using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.GoogleCloud;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Google Cloud KMS key manager.</summary>
public static class GoogleCloudKmsPkiBuilderExtensions
{
    /// <summary>
    /// cloudkms: <c>kms.type</c> <c>cloudkms</c> and <c>cloudkms:</c> key URIs; as the kms block's
    /// type it also opens plain resource names (<c>projects/...</c>), as step-ca does.
    /// </summary>
    public static KeyManagerRegistration GoogleCloudKmsRegistration { get; } = new("cloudkms", ["cloudkms"], CreateAsync)
    {
        AddMethod = "AddGoogleCloudKms()",
    };

    /// <summary>
    /// Registers Google Cloud KMS (<see cref="GoogleCloudKmsRegistration"/>): the authority creates a
    /// <see cref="GoogleCloudKeyManager"/> per configuration generation with the ca.json <c>kms</c>
    /// block's credentials and these options. Idempotent; each <paramref name="configure"/> applies in call order.
    /// </summary>
    /// <param name="builder">The CA builder from <c>AddPki()</c>.</param>
    /// <param name="configure">Sets the endpoint, extra roots and creation settings.</param>
    public static PkiBuilder AddGoogleCloudKms(this PkiBuilder builder, Action<GoogleCloudKmsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<GoogleCloudKmsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        builder.AddKeyManager(GoogleCloudKmsRegistration);
        return builder;
    }

    private static async ValueTask<IKeyManager> CreateAsync(KeyManagerContext context, CancellationToken cancellationToken) =>
        await GoogleCloudKeyManager.CreateAsync(
            context.Kms,
            context.Services.GetService<IOptions<GoogleCloudKmsOptions>>()?.Value ?? new GoogleCloudKmsOptions(),
            context.Services.GetService<TimeProvider>() ?? TimeProvider.System,
            context.Services.GetService<ILogger<GoogleCloudKeyManager>>() ?? NullLogger<GoogleCloudKeyManager>.Instance,
            cancellationToken).ConfigureAwait(false);
}
