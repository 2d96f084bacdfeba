using Microsoft.Extensions.Logging;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Authority;

/// <summary>
/// The SSH issuance pipeline (authority/authorize.go <c>Authorize(SSHSignMethod)</c>, authority/ssh.go
/// <c>signSSH</c>): route the token, let the provisioner authorize, check the request's options,
/// render the template, apply the request's validity, modify, check the authority policy, validate,
/// check the provisioner policy, sign once with the user or host CA key, then burn the token and
/// store the certificate in one transaction. Thread-safe.
/// </summary>
public sealed partial class SshAuthority : ISshCertificateAuthority
{
    private readonly SshAuthorityOptions _options;
    private readonly IProvisionerCatalog _catalog;
    private readonly ITokenReplayStore _replay;
    private readonly ISshCertificateStore? _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DateTimeOffset _startTime;

    /// <summary>Creates the authority. Its start time (for the token issued-at check) is now.</summary>
    /// <param name="options">Keys and settings from ca.json <c>ssh</c> and <c>authority</c>.</param>
    /// <param name="catalog">The provisioners.</param>
    /// <param name="replay">Used one-time tokens, for the early replay check (and the burn when there is no store).</param>
    /// <param name="store">Where certificates go; null stores nothing (step-ca without a database).</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    public SshAuthority(SshAuthorityOptions options, IProvisionerCatalog catalog, ITokenReplayStore replay, ISshCertificateStore? store, TimeProvider time, ILogger<SshAuthority> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _replay = replay ?? throw new ArgumentNullException(nameof(replay));
        _store = store;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _startTime = time.GetUtcNow();
    }

    /// <inheritdoc />
    public bool IsEnabled => _options.UserSigner is not null || _options.HostSigner is not null;

    /// <inheritdoc />
    public SshKeySet Roots => _options.Roots;

    /// <inheritdoc />
    public SshKeySet Federation => _options.Federation;

    /// <inheritdoc />
    public async ValueTask<SshSignResult> SignAsync(SshSignRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsEnabled)
        {
            throw PkiException.NotImplemented("authority.Authorize; ssh certificate flows are not enabled");
        }
        var (provisioner, token) = ProvisionerCalls.FindByToken(_catalog, _options.Audiences, request.Token, _startTime, _options.DisableIssuedAtCheck);
        if (provisioner is not ISshSignProvisioner sshProvisioner)
        {
            throw PkiException.Unauthorized($"provisioner {provisioner.Name} of type {provisioner.Type} does not support ssh sign");
        }
        var plan = await ProvisionerCalls.GuardAsync(provisioner,
            () => sshProvisioner.AuthorizeSshSignAsync(new TokenContext(token, _options.Audiences.SshSign), cancellationToken),
            e => LogProvisionerFault(_logger, provisioner.Name, e)).ConfigureAwait(false);
        // A cheap read refuses most replays before any signing work; the atomic record below decides.
        if (plan.ReplayKey is { } replayKey && await _replay.IsUsedAsync(replayKey, cancellationToken).ConfigureAwait(false))
        {
            throw PkiException.Unauthorized("token already used");
        }

        var certificate = Prepare(plan, request);
        var signer = SignerFor(certificate.Type);
        var signed = await SshCertificateSigner.SignAsync(certificate, request.PublicKey, signer, cancellationToken).ConfigureAwait(false);
        SshCertificate? addUser = null;
        if (request.AddUserPublicKey is { } addUserKey && SshAddUserCertificate.IsValidFor(signed.Description))
        {
            var description = SshAddUserCertificate.Describe(signed.Description, _options.AddUserPrincipal, _options.AddUserCommand);
            addUser = await SshCertificateSigner.SignAsync(description, addUserKey, SignerFor(SshCertificateType.User), cancellationToken).ConfigureAwait(false);
        }
        await StoreAsync(addUser is null ? [signed] : [signed, addUser], plan.ReplayKey, token.Raw, cancellationToken).ConfigureAwait(false);
        LogSigned(_logger, signed.Description.Serial, provisioner.Name, signed.Description.KeyId, signed.Description.ValidBefore ?? DateTimeOffset.UnixEpoch);
        return new SshSignResult(signed, addUser);
    }

    // Everything before the signature, in step-ca's order (so the same failure wins), signing
    // only once every check has passed.
    private SshCertificateDescription Prepare(SshSignAuthorization plan, SshSignRequest request)
    {
        var requested = request.Options;
        requested.Validate();
        foreach (var validator in plan.OptionsValidators)
        {
            validator.Validate(requested);
        }
        // .Insecure.CR: what the client asked for, unverified.
        plan.TemplateData.SetCertificateRequest(requested.Type ?? SshCertificateType.None, requested.KeyId, requested.Principals);
        var certificate = plan.Template.Render(plan.TemplateData, requested.TemplateData, _time);

        var now = _time.GetUtcNow();
        var context = new SshIssuanceContext(now, _options.Backdate, requested);
        certificate = WithRequestedValidity(certificate, requested, now);
        foreach (var modifier in plan.Modifiers)
        {
            certificate = modifier.Modify(certificate, context);
        }
        SignerFor(certificate.Type);
        CheckPolicy(_options.NamePolicy, certificate);
        foreach (var validator in plan.Validators)
        {
            validator.Validate(certificate, context);
        }
        CheckPolicy(plan.NamePolicy, certificate);
        return certificate;
    }

    // SignSSHOptions.ModifyValidity: the request's validAfter/validBefore over the template's.
    private static SshCertificateDescription WithRequestedValidity(SshCertificateDescription certificate, SshSignOptions requested, DateTimeOffset now)
    {
        var validAfter = SshSignOptions.Resolve(requested.ValidAfter, now) ?? certificate.ValidAfter;
        var validBefore = SshSignOptions.Resolve(requested.ValidBefore, now) ?? certificate.ValidBefore;
        if (validAfter is { } after && validBefore is { } before && after > before)
        {
            throw PkiException.BadRequest("ssh certificate validAfter cannot be greater than validBefore");
        }
        return certificate with { ValidAfter = validAfter, ValidBefore = validBefore };
    }

    private static void CheckPolicy(Policy.INamePolicyEngine? policy, SshCertificateDescription certificate)
    {
        if (policy is null)
        {
            return;
        }
        if (certificate.Type == SshCertificateType.Host)
        {
            policy.CheckSshHost(certificate.Principals);
        }
        else
        {
            policy.CheckSshUser(certificate.Principals);
        }
    }

    private ICertificateSigner SignerFor(SshCertificateType type) => type switch
    {
        SshCertificateType.User => _options.UserSigner ?? throw PkiException.NotImplemented("authority.SignSSH: user certificate signing is not enabled"),
        SshCertificateType.Host => _options.HostSigner ?? throw PkiException.NotImplemented("authority.SignSSH: host certificate signing is not enabled"),
        _ => throw PkiException.Internal($"authority.SignSSH: unexpected ssh certificate type: {(int)type}"),
    };

    // With a one-time token, burning it and storing the certificates are one transaction, so a
    // token is used if and only if its certificates are on record. Without a store (step-ca
    // without a database) the token is still burned, and nothing is stored.
    private async ValueTask StoreAsync(IReadOnlyList<SshCertificate> certificates, string? replayKey, string token, CancellationToken cancellationToken)
    {
        bool recorded;
        if (replayKey is null)
        {
            recorded = true;
            if (_store is not null)
            {
                await _store.StoreAsync(certificates, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            recorded = _store is not null
                ? await _store.StoreIssuedAsync(certificates, replayKey, token, cancellationToken).ConfigureAwait(false)
                : await _replay.TryUseAsync(replayKey, token, cancellationToken).ConfigureAwait(false);
        }
        if (!recorded)
        {
            throw PkiException.Unauthorized("token already used");
        }
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "issued ssh certificate serial={Serial} provisioner={Provisioner} keyId={KeyId} validBefore={ValidBefore:O}")]
    private static partial void LogSigned(ILogger logger, ulong serial, string provisioner, string keyId, DateTimeOffset validBefore);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "provisioner {Provisioner} threw on ssh sign; request denied")]
    private static partial void LogProvisionerFault(ILogger logger, string provisioner, Exception exception);
}
