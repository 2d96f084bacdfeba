using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Stages;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Authority;

/// <summary>
/// The X.509 issuance pipeline (ARCHITECTURE.md): parse and check the CSR, let the provisioner
/// authorize, burn the token, validate the CSR, render the template, modify, validate, sign once,
/// store, return the chain. Thread-safe.
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
    private readonly DefaultSubjectModifier? _defaultSubject;

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
        _defaultSubject = options.SubjectDefaults is { IsEmpty: false } defaults ? new DefaultSubjectModifier(defaults) : null;
        Trust = new TrustBundle(options.Roots, options.FederatedRoots, options.Issuer.Chain);
    }

    /// <inheritdoc />
    public TrustBundle Trust { get; }

    /// <inheritdoc />
    public Audiences Audiences => _options.Audiences;

    private IRevocationStore Revocations { get; }

    /// <inheritdoc />
    public async ValueTask<IssuedCertificate> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
    {
        var csr = request.Csr;
        var (provisioner, token) = FindProvisioner(request.Token);
        var authorization = await Guard(provisioner, () => provisioner.AuthorizeSignAsync(new TokenContext(token, _options.Audiences.Sign), cancellationToken)).ConfigureAwait(false);
        // A cheap read refuses most replays before any signing work; the atomic record below decides.
        if (authorization.ReplayKey is { } replayKey && await _replay.IsUsedAsync(replayKey, cancellationToken).ConfigureAwait(false))
        {
            throw PkiException.Unauthorized("token already used");
        }

        foreach (var validator in authorization.CsrValidators)
        {
            validator.Validate(csr);
        }
        // Stage 4: the provisioner's template, else step's default leaf (built directly: same result, no rendering cost).
        var certificate = authorization.CertificateTemplate is { } template
            ? template.Render(authorization.Template, csr, request.TemplateData, _time)
            : DefaultLeafTemplate.Render(authorization.Template, csr);
        var context = new IssuanceContext(_time.GetUtcNow(), _options.Backdate, request.NotBefore, request.NotAfter);
        _defaultSubject?.Modify(certificate, context);
        foreach (var modifier in authorization.Modifiers)
        {
            modifier.Modify(certificate, context);
        }
        foreach (var validator in authorization.Validators)
        {
            validator.Validate(certificate, context);
        }
        // Stage 6 (authority/tls.go isAllowedToSignX509Certificate): the CA certificates' name
        // constraints, then the authority's and the provisioner's policies must all allow every name.
        _options.NameConstraints?.Check(certificate);
        _options.NamePolicy?.CheckX509(certificate);
        authorization.NamePolicy?.CheckX509(certificate);
        var metadata = new CertificateMetadata(new ProvisionerReference(provisioner.Id, provisioner.Name, provisioner.Type));
        return await IssueAndStoreAsync(certificate, metadata, authorization.ReplayKey is { } key ? (key, token.Raw) : null, cancellationToken).ConfigureAwait(false);
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
            var (provisioner, token) = FindProvisioner(request.Token);
            var authorization = await Guard(provisioner, () => provisioner.AuthorizeRevokeAsync(new TokenContext(token, _options.Audiences.Revoke), cancellationToken)).ConfigureAwait(false);
            // Refuse before burning: a token refused for another serial, or for a certificate
            // already revoked, stays unused (step-ca burns it). TryRevokeAsync stays the arbiter.
            if (authorization.Subject != serial)
            {
                throw PkiException.Forbidden($"token subject {authorization.Subject} and serial number {serial} do not match");
            }
            if (await Revocations.IsRevokedAsync(serial, cancellationToken).ConfigureAwait(false))
            {
                throw AlreadyRevoked(serial);
            }
            await BurnAsync(authorization.ReplayKey, token, cancellationToken).ConfigureAwait(false);
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
        // authority/tls.go renewContext: name constraints may have changed since issuance; step-ca
        // does not apply the policy to renewals, and neither do we.
        _options.NameConstraints?.Check(certificate);
        var metadata = await _certificates.GetMetadataAsync(serial, cancellationToken).ConfigureAwait(false)
            ?? (provisioner is null ? null : new CertificateMetadata(new ProvisionerReference(provisioner.Id, provisioner.Name, provisioner.Type)));
        return await IssueAndStoreAsync(certificate, metadata, null, cancellationToken).ConfigureAwait(false);
    }

    // Prepare, lint, sign once, then record: with a one-time token, burning it and storing the
    // certificate are one transaction, so a token is used if and only if its certificate is on
    // record, and a certificate is returned only after both are durable.
    private async ValueTask<IssuedCertificate> IssueAndStoreAsync(X509CertificateDescription certificate, CertificateMetadata? metadata,
        (string Key, string Token)? burn, CancellationToken cancellationToken)
    {
        var (der, serial) = await _options.Issuer.IssueAsync(certificate, cancellationToken).ConfigureAwait(false);
        var serialText = serial.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stored = new StoredCertificate(serialText, der, metadata);
        if (burn is { } use)
        {
            if (!await _certificates.StoreIssuedAsync(stored, use.Key, use.Token, cancellationToken).ConfigureAwait(false))
            {
                throw PkiException.Unauthorized("token already used");
            }
        }
        else
        {
            await _certificates.StoreAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        LogIssued(_logger, serialText, metadata?.Provisioner?.Name ?? "", certificate.NotAfter);
        return new IssuedCertificate(der, _options.Issuer.ChainDer);
    }

    private (IProvisioner Provisioner, UnverifiedToken Token) FindProvisioner(string? rawToken) =>
        ProvisionerCalls.FindByToken(_catalog, _options.Audiences, rawToken, _startTime, _options.DisableIssuedAtCheck);

    private async ValueTask BurnAsync(string? replayKey, UnverifiedToken token, CancellationToken cancellationToken)
    {
        if (replayKey is null)
        {
            return;
        }
        if (!await _replay.TryUseAsync(replayKey, token.Raw, cancellationToken).ConfigureAwait(false))
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
