using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Pipeline;
using Smallstep.Pki.Issuance.Stages;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Authority;

/// <summary>
/// The X.509 authority: routes a request to its provisioner, lets it authorize, and runs the plan
/// through the issuance runner (ARCHITECTURE.md's fixed stages); renews, rekeys and revokes.
/// Thread-safe.
/// </summary>
public sealed partial class CertificateAuthority : ICertificateAuthority
{
    private readonly CertificateAuthorityOptions _options;
    private readonly IProvisionerCatalog _catalog;
    private readonly ICertificateStore _certificates;
    private readonly ITokenReplayStore _replay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DateTimeOffset _startTime;
    private readonly X509IssuanceRunner _runner;

    /// <summary>Creates the authority. Its start time (for the token issued-at check) is now.</summary>
    public CertificateAuthority(CertificateAuthorityOptions options, IProvisionerCatalog catalog, ICertificateStore certificates,
        IRevocationStore revocations, ITokenReplayStore replay, TimeProvider time, ILogger<CertificateAuthority> logger)
    {
        _options = options;
        _catalog = catalog;
        _certificates = certificates;
        Revocations = revocations;
        _replay = replay;
        _time = time;
        _logger = logger;
        _startTime = time.GetUtcNow();
        _runner = new X509IssuanceRunner(options, certificates, time, (serial, provisioner, notAfter) => LogIssued(_logger, serial, provisioner, notAfter));
        Trust = new TrustBundle(options.Roots, options.FederatedRoots, options.Issuer.Chain);
    }

    /// <inheritdoc />
    public TrustBundle Trust { get; }

    /// <inheritdoc />
    public Audiences Audiences => _options.Audiences;

    /// <inheritdoc />
    public Policy.INamePolicyEngine? NamePolicy => _options.NamePolicy;

    private IRevocationStore Revocations { get; }

    /// <inheritdoc />
    public async ValueTask<IssuedCertificate> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (provisioner, context) = ProvisionerCalls.Route(_catalog, _options.Audiences, _options.Audiences.Sign, request.Provisioner, request.Token,
            request.ClientCertificate, request.RemoteAddress, _startTime, _options.DisableIssuedAtCheck, _options.Roots, Revocations);
        var plan = await Guard(provisioner, () => provisioner.AuthorizeSignAsync(context, cancellationToken)).ConfigureAwait(false);
        return await IssueAsync(request, plan, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IssuedCertificate> IssueAsync(SignRequest request, SignAuthorization plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(plan);
        return _runner.RunAsync(plan, request, _time.GetUtcNow(), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IssuedCertificate> RenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default) =>
        ReissueAsync(certificate, null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IssuedCertificate> RekeyAsync(X509Certificate2 certificate, CertificationRequest csr, CancellationToken cancellationToken = default) =>
        ReissueAsync(certificate, csr, cancellationToken);

    /// <inheritdoc />
    public async ValueTask RevokeAsync(RevokeRequest request, CancellationToken cancellationToken = default)
    {
        var serial = SerialNumberText.ToDecimal(request.Serial);
        if (request.ReasonCode is < 0 or > 10)
        {
            throw PkiException.BadRequest("reasonCode out of bounds");
        }
        if (!request.Passive)
        {
            throw PkiException.NotImplemented("non-passive revocation not implemented");
        }
        string provisionerId;
        string tokenId = "";
        var mtls = false;
        if (!string.IsNullOrEmpty(request.Token))
        {
            var (provisioner, context) = ProvisionerCalls.Route(_catalog, _options.Audiences, _options.Audiences.Revoke, null, request.Token,
                null, null, _startTime, _options.DisableIssuedAtCheck, _options.Roots, Revocations);
            var authorization = await Guard(provisioner, () => provisioner.AuthorizeRevokeAsync(context, cancellationToken)).ConfigureAwait(false);
            // Refuse before burning: a token refused for another serial, or for a certificate
            // already revoked, stays unused (step-ca burns it). TryRevokeAsync stays the arbiter.
            // A replayed token is refused as used before anything else, as step-ca's
            // authorizeRevoke does (the step CLI then reports an authorization failure).
            if (authorization.Subject != serial)
            {
                throw PkiException.Forbidden($"token subject {authorization.Subject} and serial number {serial} do not match");
            }
            if (authorization.ReplayKey is { } replayKey && await _replay.IsUsedAsync(replayKey, cancellationToken).ConfigureAwait(false))
            {
                throw PkiException.Unauthorized("token already used");
            }
            if (await Revocations.IsRevokedAsync(serial, cancellationToken).ConfigureAwait(false))
            {
                throw AlreadyRevoked(serial);
            }
            await BurnAsync(authorization.ReplayKey, request.Token, cancellationToken).ConfigureAwait(false);
            provisionerId = provisioner.Id;
            tokenId = authorization.ReplayKey ?? "";
        }
        else if (request.ClientCertificate is { } client)
        {
            if (SerialNumberText.FromCertificate(client) != serial)
            {
                throw PkiException.Forbidden($"serial number in client certificate different than body");
            }
            provisionerId = (await ResolveProvisionerAsync(client, cancellationToken).ConfigureAwait(false))?.Id ?? "";
            mtls = true;
        }
        else
        {
            throw PkiException.BadRequest("missing ott or client certificate");
        }

        var expiresAt = await FindExpiryAsync(serial, request.ClientCertificate, cancellationToken).ConfigureAwait(false);
        var record = new RevocationRecord(serial, provisionerId, request.ReasonCode, request.Reason ?? "", _time.GetUtcNow(), expiresAt, tokenId, mtls, false);
        if (!await Revocations.TryRevokeAsync(record, cancellationToken).ConfigureAwait(false))
        {
            throw AlreadyRevoked(serial);
        }
        LogRevoked(_logger, serial, request.ReasonCode, provisionerId);
    }

    private static PkiException AlreadyRevoked(string serial) => PkiException.BadRequest($"certificate with serial number '{serial}' is already revoked");

    private async ValueTask<IssuedCertificate> ReissueAsync(X509Certificate2 old, CertificationRequest? rekey, CancellationToken cancellationToken)
    {
        var serial = SerialNumberText.FromCertificate(old);
        if (await Revocations.IsRevokedAsync(serial, cancellationToken).ConfigureAwait(false))
        {
            throw PkiException.Unauthorized($"certificate with serial number {serial} has been revoked");
        }
        var provisioner = await ResolveProvisionerAsync(old, cancellationToken).ConfigureAwait(false);
        if (provisioner is not null)
        {
            await Guard(provisioner, async () => { await provisioner.AuthorizeRenewAsync(old, cancellationToken).ConfigureAwait(false); return true; }).ConfigureAwait(false);
        }
        else if (ProvisionerExtension.Read(old) is { } unknown)
        {
            throw PkiException.Unauthorized($"provisioner {unknown.Name} not found");
        }

        var certificate = CertificateCopier.ForReissue(old, rekey, _time.GetUtcNow(), _options.Backdate);
        // What no plan can skip: a rekey's new key meets the minimums, and the renewal does not
        // outlive the issuer. authority/tls.go renewContext: name constraints may have changed since
        // issuance; step-ca does not apply the policy to renewals, and neither do we.
        if (rekey is not null)
        {
            PublicKeyValidator.Instance.Validate(rekey);
        }
        _runner.IssuerValidity.Validate(certificate, new IssuanceContext(_time.GetUtcNow(), _options.Backdate));
        _options.NameConstraints?.Check(certificate);
        var metadata = await _certificates.GetMetadataAsync(serial, cancellationToken).ConfigureAwait(false)
            ?? (provisioner is null ? null : new CertificateMetadata(new ProvisionerReference(provisioner.Id, provisioner.Name, provisioner.Type)));
        return await _runner.IssueAndRecordAsync(certificate, metadata, [], cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask BurnAsync(string? replayKey, string? token, CancellationToken cancellationToken)
    {
        if (replayKey is null)
        {
            return;
        }
        if (!await _replay.TryUseAsync(replayKey, token ?? "", cancellationToken).ConfigureAwait(false))
        {
            throw PkiException.Unauthorized("token already used");
        }
    }

    private async ValueTask<IProvisioner?> ResolveProvisionerAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var metadata = await _certificates.GetMetadataAsync(SerialNumberText.FromCertificate(certificate), cancellationToken).ConfigureAwait(false);
        return (metadata?.Provisioner is { } reference ? _catalog.FindById(reference.Id) : null) ?? _catalog.FindByCertificate(certificate);
    }

    private async ValueTask<DateTimeOffset> FindExpiryAsync(string serial, X509Certificate2? client, CancellationToken cancellationToken)
    {
        if (client is not null && SerialNumberText.FromCertificate(client) == serial)
        {
            return client.NotAfter.ToUniversalTime();
        }
        var der = await _certificates.GetDerAsync(serial, cancellationToken).ConfigureAwait(false);
        return der is null ? DateTimeOffset.MinValue : X509CertificateLoader.LoadCertificate(der).NotAfter.ToUniversalTime();
    }

    private ValueTask<T> Guard<T>(IProvisioner provisioner, Func<ValueTask<T>> call) =>
        ProvisionerCalls.GuardAsync(provisioner, call, e => LogProvisionerFault(_logger, provisioner.Name, e));

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "issued certificate serial={Serial} provisioner={Provisioner} notAfter={NotAfter:O}")]
    private static partial void LogIssued(ILogger logger, string serial, string provisioner, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "revoked certificate serial={Serial} reasonCode={ReasonCode} provisioner={ProvisionerId}")]
    private static partial void LogRevoked(ILogger logger, string serial, int reasonCode, string provisionerId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "provisioner {Provisioner} threw; request denied")]
    private static partial void LogProvisionerFault(ILogger logger, string provisioner, Exception exception);
}
