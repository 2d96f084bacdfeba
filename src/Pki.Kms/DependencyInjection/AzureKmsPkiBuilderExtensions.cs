using Microsoft.Extensions.Options;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Azure;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Azure Key Vault key manager.</summary>
public static class AzureKmsPkiBuilderExtensions
{
    /// <summary>azurekms: <c>kms.type</c> <c>azurekms</c> and <c>azurekms:</c> key URIs.</summary>
    public static KeyManagerRegistration AzureKmsRegistration { get; } = new("azurekms", ["azurekms"], CreateAsync)
    {
        AddMethod = "AddAzureKms()",
    };

    /// <summary>
    /// Registers Azure Key Vault (<see cref="AzureKmsRegistration"/>): the authority creates an
    /// <see cref="AzureKeyVaultManager"/> per configuration generation with the ca.json <c>kms</c>
    /// block and these options. Idempotent; each <paramref name="configure"/> applies in call order.
    /// </summary>
    /// <param name="builder">The CA builder from <c>AddPki()</c>.</param>
    /// <param name="configure">Sets the vault URL override and extra roots.</param>
    public static PkiBuilder AddAzureKms(this PkiBuilder builder, Action<AzureKmsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<AzureKmsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        builder.AddKeyManager(AzureKmsRegistration);
        return builder;
    }

    private static ValueTask<IKeyManager> CreateAsync(KeyManagerContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IKeyManager>(AzureKeyVaultManager.Create(context.Kms, context.Services.GetService<IOptions<AzureKmsOptions>>()?.Value ?? new AzureKmsOptions()));
}
