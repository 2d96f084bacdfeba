using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers step's software key manager (encrypted PEM key files).</summary>
public static class SoftKmsPkiBuilderExtensions
{
    /// <summary>softkms: <c>kms.type</c> <c>softkms</c>, <c>softkms:</c> URIs and plain key paths, with the registered <see cref="SoftKmsOptions"/>.</summary>
    public static KeyManagerRegistration SoftKmsRegistration { get; } = new(KeyManagerRegistry.SoftKmsType, [KeyManagerRegistry.SoftKmsType],
        (context, _) => ValueTask.FromResult<IKeyManager>(new SoftKeyManager(context.Services.GetRequiredService<IOptions<SoftKmsOptions>>().Value)))
    {
        AddMethod = "AddSoftKms()",
    };

    /// <summary>
    /// Registers softkms as the key manager for <c>kms.type</c> <c>softkms</c>, <c>softkms:</c> URIs
    /// and plain key paths (<see cref="SoftKmsRegistration"/>): the authority creates a
    /// <see cref="SoftKeyManager"/> with these options at start-up and a fresh one on each reload
    /// (so replaced key files are read again). Also registers one <see cref="SoftKeyManager"/>
    /// singleton for in-process use and, unless another key manager was registered first, as
    /// <see cref="IKeyManager"/> and <see cref="IKeyDecrypter"/> (TryAdd: calling this twice
    /// registers once; each <paramref name="configure"/> is applied to <see cref="SoftKmsOptions"/>
    /// in call order).
    /// </summary>
    /// <param name="builder">The CA builder from <c>AddPki()</c>.</param>
    /// <param name="configure">Sets the password source and base directory.</param>
    public static PkiBuilder AddSoftKms(this PkiBuilder builder, Action<SoftKmsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<SoftKmsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        builder.AddKeyManager(SoftKmsRegistration);
        builder.Services.TryAddSingleton(sp => new SoftKeyManager(sp.GetRequiredService<IOptions<SoftKmsOptions>>().Value));
        builder.Services.TryAddSingleton<IKeyManager>(sp => sp.GetRequiredService<SoftKeyManager>());
        builder.Services.TryAddSingleton<IKeyDecrypter>(sp => sp.GetRequiredService<SoftKeyManager>());
        return builder;
    }
}
