using Smallstep.Pki.Ssh.Config;

namespace Smallstep.Pki.Authority;

/// <summary>
/// The part of the SSH authority that configures clients and hosts (step-ca api.SSHAuthority's
/// <c>GetSSHConfig</c>, <c>CheckSSHHost</c>, <c>GetSSHHosts</c>, <c>GetSSHBastion</c>):
/// <c>POST /ssh/config</c>, <c>/ssh/check-host</c>, <c>/ssh/bastion</c> and <c>GET /ssh/hosts</c>
/// are one consumer. Thread-safe; failures are <see cref="Errors.PkiException"/>s.
/// </summary>
public interface ISshConfigurationAuthority
{
    /// <summary>Renders the configuration templates of <paramref name="type"/> (authority/ssh.go <c>GetSSHConfig</c>).</summary>
    /// <param name="type"><c>user</c> or <c>host</c>.</param>
    /// <param name="data">The request's <c>data</c>; empty when none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.PkiException">NotFound: SSH is not configured; BadRequest: the type, a missing required key, a failing template.</exception>
    ValueTask<IReadOnlyList<SshConfigOutput>> GetConfigAsync(string type, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken = default);

    /// <summary>Whether a host certificate was issued for <paramref name="principal"/> (authority/ssh.go <c>CheckSSHHost</c>); the token is not checked, as in step-ca's open-source build.</summary>
    /// <exception cref="Errors.PkiException">NotImplemented: the store keeps no SSH hosts.</exception>
    ValueTask<bool> CheckHostAsync(string principal, string? token, CancellationToken cancellationToken = default);

    /// <summary>The host names of valid host certificates (authority/ssh.go <c>GetSSHHosts</c>); the client certificate is not required, as in step-ca.</summary>
    /// <exception cref="Errors.PkiException">NotFound: <c>authority.disableGetSSHHosts</c>; NotImplemented: the store keeps no SSH hosts.</exception>
    ValueTask<IReadOnlyList<string>> GetHostsAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate, CancellationToken cancellationToken = default);

    /// <summary>The bastion for <paramref name="hostname"/>, or null (authority/ssh.go <c>GetSSHBastion</c>): none for the bastion itself.</summary>
    /// <exception cref="Errors.PkiException">NotFound: ca.json has no <c>ssh</c> block.</exception>
    Configuration.SshBastionConfig? GetBastion(string user, string hostname);
}
