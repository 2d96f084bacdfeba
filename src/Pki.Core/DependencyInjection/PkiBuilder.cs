namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="PkiServiceCollectionExtensions.AddPki(IServiceCollection)"/>; the
/// libraries add their <c>Add*</c> extensions (key managers, storage, provisioners) to it.
/// </summary>
public sealed class PkiBuilder
{
    internal PkiBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }
}
