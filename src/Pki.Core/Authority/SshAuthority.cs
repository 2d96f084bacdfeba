using Microsoft.Extensions.Logging;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance.Pipeline;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Authority;

/// <summary>
/// The SSH authority (authority/authorize.go <c>Authorize(SSHSignMethod)</c>, authority/ssh.go
/// <c>signSSH</c>): routes a request to its provisioner, lets it authorize, and runs the plan through
/// the same issuance runner as X.509, signing once with the user or host CA key and recording the
/// certificates with the plan's recording steps in one transaction. Thread-safe.
/// </summary>
public sealed partial class SshAuthority : ISshCertificateAuthority
{
    private readonly SshAuthorityOptions _options;
    private readonly IProvisionerCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DateTimeOffset _startTime;
    private readonly SshIssuanceRunner _runner;

    /// <summary>Creates the authority. Its start time (for the token issued-at check) is now.</summary>
    /// <param name="options">Keys and settings from ca.json <c>ssh</c> and <c>authority</c>.</param>
    /// <param name="catalog">The provisioners.</param>
    /// <param name="store">Where certificates and the plans' recording steps are committed.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    public SshAuthority(SshAuthorityOptions options, IProvisionerCatalog catalog, ISshCertificateStore store, TimeProvider time, ILogger<SshAuthority> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        ArgumentNullException.ThrowIfNull(store);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _startTime = time.GetUtcNow();
        _runner = new SshIssuanceRunner(options, store, time, (certificate, provisioner) =>
            LogSigned(_logger, certificate.Description.Serial, provisioner, certificate.Description.KeyId, certificate.Description.ValidBefore ?? DateTimeOffset.UnixEpoch));
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
        RequireEnabled();
        var (provisioner, context) = ProvisionerCalls.Route(_catalog, _options.Audiences, _options.Audiences.SshSign, request.Provisioner, request.Token,
            request.ClientCertificate, request.RemoteAddress, _startTime, _options.DisableIssuedAtCheck, _options.X509Roots, _options.X509Revocations);
        if (provisioner is not ISshSignProvisioner sshProvisioner)
        {
            throw PkiException.Unauthorized($"provisioner {provisioner.Name} of type {provisioner.Type} does not support ssh sign");
        }
        var plan = await ProvisionerCalls.GuardAsync(provisioner, () => sshProvisioner.AuthorizeSshSignAsync(context, cancellationToken),
            e => LogProvisionerFault(_logger, provisioner.Name, e)).ConfigureAwait(false);
        return await IssueAsync(request, plan, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<SshSignResult> IssueAsync(SshSignRequest request, SshSignAuthorization plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(plan);
        RequireEnabled();
        return _runner.RunAsync(plan, request, _time.GetUtcNow(), cancellationToken);
    }

    private void RequireEnabled()
    {
        if (!IsEnabled)
        {
            throw PkiException.NotImplemented("authority.Authorize; ssh certificate flows are not enabled");
        }
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "issued ssh certificate serial={Serial} provisioner={Provisioner} keyId={KeyId} validBefore={ValidBefore:O}")]
    private static partial void LogSigned(ILogger logger, ulong serial, string provisioner, string keyId, DateTimeOffset validBefore);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "provisioner {Provisioner} threw on ssh sign; request denied")]
    private static partial void LogProvisionerFault(ILogger logger, string provisioner, Exception exception);
}
