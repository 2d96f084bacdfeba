using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Stands in for a ca.json provisioner whose type this build does not run yet: it is listed by
/// <c>GET /provisioners</c> as configured, and every authorization answers 501 (the host warns
/// about it once at start-up).
/// </summary>
public sealed class DisabledProvisioner : IProvisioner
{
    private readonly ProvisionerConfig _config;

    /// <summary>Wraps the ca.json entry.</summary>
    public DisabledProvisioner(ProvisionerConfig config, ClaimSet claims)
    {
        _config = config;
        Claims = claims;
        Type = ProvisionerTypes.Canonical(config.Type);
        Id = ProvisionerTypes.IdOf(config);
        ExtensionInfo = new ProvisionerExtensionInfo(ProvisionerTypes.Code(config.Type), "");
    }

    /// <inheritdoc />
    public string Name => _config.Name;

    /// <inheritdoc />
    public string Type { get; }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public ClaimSet Claims { get; }

    /// <inheritdoc />
    public ProvisionerExtensionInfo ExtensionInfo { get; }

    /// <inheritdoc />
    public void WriteListingJson(Utf8JsonWriter writer) => ProvisionerListing.Write(writer, _config, Type, [], knownMembersOnly: false);

    /// <inheritdoc />
    public ValueTask<SignAuthorization> AuthorizeSignAsync(TokenContext token, CancellationToken cancellationToken = default) => throw NotBuilt();

    /// <inheritdoc />
    public ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default) => throw NotBuilt();

    /// <inheritdoc />
    public ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(TokenContext token, CancellationToken cancellationToken = default) => throw NotBuilt();

    private PkiException NotBuilt() => PkiException.NotImplemented($"provisioner {Name} of type {Type} is not supported by this build yet");
}
