using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Stands in for an entry of a type this build knows but does not run yet: it is listed by
/// <c>GET /provisioners</c> as its type's listing allows, requests are routed to it as they would be
/// to the real type, and every authorization answers 501 (the start-up log says so once).
/// </summary>
public sealed class DisabledProvisioner : Provisioner
{
    private readonly string? _id;
    private readonly IReadOnlyList<ProvisionerRoutingKey>? _routingKeys;

    /// <summary>Creates the stand-in.</summary>
    /// <param name="config">The entry.</param>
    /// <param name="context">What the catalog provides.</param>
    /// <param name="id">The id step-ca derives for the type, or null for <c>type/name</c>.</param>
    /// <param name="routingKeys">The keys the real type is routed by, or null for the audience fragment of the id.</param>
    public DisabledProvisioner(ProvisionerConfig config, ProvisionerBuildContext context, string? id = null, IReadOnlyList<ProvisionerRoutingKey>? routingKeys = null)
        : base(config, context)
    {
        _id = id;
        _routingKeys = routingKeys;
    }

    /// <summary>
    /// True for a type whose step-ca implementation renews with the default rule only
    /// (controller.go <c>DefaultAuthorizeRenew</c>: OIDC, GCP, AWS, Azure, K8sSA, Nebula): the
    /// certificates such an entry issued, e.g. under step-ca before a move here, renew on
    /// <c>/renew</c> and <c>/rekey</c> under its claims although its tokens are not accepted yet.
    /// </summary>
    public bool RenewsByDefaultRule { get; init; }

    /// <inheritdoc />
    public override string Id => _id ?? base.Id;

    /// <inheritdoc />
    public override ValueTask AuthorizeRenewAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        if (!RenewsByDefaultRule)
        {
            // step-ca's answer for SCEP and SSHPOP, which never renew X.509 (provisioner.go base): 401, not 501.
            throw PkiException.Unauthorized($"provisioner {Name} of type {Type} does not support renew");
        }
        RenewalPolicy.Authorize(Name, Claims, certificate, Time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override IReadOnlyList<ProvisionerRoutingKey> RoutingKeys => _routingKeys ?? base.RoutingKeys;

    /// <inheritdoc />
    protected override PkiException Unsupported(string operation) =>
        PkiException.NotImplemented($"provisioner {Name} of type {Type} is not supported by this build yet");
}
