namespace Smallstep.Pki.Storage;

/// <summary>A service provider with no services, for opening a store outside an application.</summary>
internal sealed class EmptyServices : IServiceProvider
{
    public static EmptyServices Instance { get; } = new();

    public object? GetService(Type serviceType) => null;
}
