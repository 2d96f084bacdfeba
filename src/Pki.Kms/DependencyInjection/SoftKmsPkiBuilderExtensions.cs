using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers step's software key manager (encrypted PEM key files).</summary>
public static class SoftKmsPkiBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="SoftKeyManager"/> as a singleton and, unless another key manager was
    /// registered first, as <see cref="IKeyManager"/> and <see cref="IKeyDecrypter"/> (TryAdd:
    /// calling this twice registers once; each <paramref name="configure"/> is applied to
    /// <see cref="SoftKmsOptions"/> in call order).
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
        builder.Services.TryAddSingleton(sp => new SoftKeyManager(sp.GetRequiredService<IOptions<SoftKmsOptions>>().Value));
        builder.Services.TryAddSingleton<IKeyManager>(sp => sp.GetRequiredService<SoftKeyManager>());
        builder.Services.TryAddSingleton<IKeyDecrypter>(sp => sp.GetRequiredService<SoftKeyManager>());
        return builder;
    }
}
