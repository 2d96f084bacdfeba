using Microsoft.Extensions.Logging;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Ssh.Config;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Authority;

/// <summary>
/// Builds the SSH authority from ca.json <c>ssh</c> as step-ca's <c>Authority.init</c> does
/// (authority/authority.go): <c>hostKey</c> and <c>userKey</c> opened through the key manager, each
/// signer's key first in both the roots and the federation, then <c>keys</c> by type and
/// <c>federated</c>. Without the block the authority is built disabled (every sign is a 501).
/// </summary>
internal static class SshAuthorityComposition
{
    public static async Task<SshAuthority> CreateAsync(CaConfigLoadResult loaded, GenerationKeyManagers keys, IProvisionerCatalog catalog, CertificateAuthorityOptions x509,
        AuthorityStores stores, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var ssh = loaded.Config.Ssh;
        var host = ssh is { HostKey.Length: > 0 } ? await CaKeyOpener.OpenAsync(keys, loaded, ssh.HostKey, "ssh.hostKey", cancellationToken).ConfigureAwait(false) : null;
        var user = ssh is { UserKey.Length: > 0 } ? await CaKeyOpener.OpenAsync(keys, loaded, ssh.UserKey, "ssh.userKey", cancellationToken).ConfigureAwait(false) : null;
        List<SshPublicKey> userRoots = [], hostRoots = [], userFederation = [], hostFederation = [];
        foreach (var (signer, field, roots, federation) in new[] { (host, "ssh.hostKey", hostRoots, hostFederation), (user, "ssh.userKey", userRoots, userFederation) })
        {
            if (signer is not null)
            {
                var key = PublicKeyOf(signer, field);
                roots.Add(key);
                federation.Add(key);
            }
        }
        var extra = ssh?.Keys ?? [];
        for (var i = 0; i < extra.Count; i++)
        {
            var entry = extra[i];
            // CaConfigValidator has already refused other types and non-object keys.
            var key = ParseJwk(entry, $"ssh.keys[{i}].key");
            var list = (entry.Type, entry.Federated) switch
            {
                ("host", true) => hostFederation,
                ("host", false) => hostRoots,
                (_, true) => userFederation,
                _ => userRoots,
            };
            list.Add(key);
        }
        var options = new SshAuthorityOptions
        {
            UserSigner = user,
            HostSigner = host,
            Roots = new SshKeySet(userRoots, hostRoots),
            Federation = new SshKeySet(userFederation, hostFederation),
            AddUserPrincipal = string.IsNullOrEmpty(ssh?.AddUserPrincipal) ? SshAuthorityOptions.DefaultAddUserPrincipal : ssh.AddUserPrincipal,
            AddUserCommand = string.IsNullOrEmpty(ssh?.AddUserCommand) ? SshAuthorityOptions.DefaultAddUserCommand : ssh.AddUserCommand,
            Configuration = ConfigurationOptions(loaded, user, host, userFederation, hostFederation, stores),
            Audiences = x509.Audiences,
            X509Roots = x509.Roots,
            Backdate = x509.Backdate,
            NamePolicy = x509.NamePolicy,
            DisableIssuedAtCheck = x509.DisableIssuedAtCheck,
            X509Revocations = stores.Revocations,
        };
        return new SshAuthority(options, catalog, stores.SshCertificates, time, loggers.CreateLogger<SshAuthority>()) { Revocations = stores.SshRevocations };
    }

    // authority.go init: templates only when a CA key is configured (ca.json's or step's defaults),
    // .Step.SSH's federated lists without the active key; the host store when the SSH store has one.
    private static SshConfigurationOptions ConfigurationOptions(CaConfigLoadResult loaded, ICertificateSigner? user, ICertificateSigner? host,
        List<SshPublicKey> userFederation, List<SshPublicKey> hostFederation, AuthorityStores stores)
    {
        var keys = new SshTemplateKeys(host is null ? null : hostFederation[0], user is null ? null : userFederation[0],
            hostFederation.Skip(host is null ? 0 : 1).ToList(), userFederation.Skip(user is null ? 0 : 1).ToList());
        return new SshConfigurationOptions
        {
            HasSshBlock = loaded.Config.Ssh is not null,
            Templates = user is null && host is null ? null : SshConfigTemplates.Load(loaded.Config.Templates, p => loaded.Paths.ResolveStepPath(p).FullPath, keys),
            Bastion = loaded.Config.Ssh?.Bastion,
            DisableGetHosts = loaded.Config.Authority.DisableGetSshHosts,
            Hosts = stores.SshCertificates as ISshHostStore,
        };
    }

    private static SshPublicKey PublicKeyOf(ICertificateSigner signer, string field)
    {
        try
        {
            return SshPublicKey.FromSubjectPublicKeyInfo(signer.SubjectPublicKeyInfo.Span);
        }
        catch (PkiException e)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(field, "error creating ssh signer: " + e.Message)]);
        }
    }

    private static SshPublicKey ParseJwk(SshPublicKeyConfig entry, string field)
    {
        try
        {
            return SshJwkPublicKey.Parse(entry.Key ?? default);
        }
        catch (PkiException e)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(field, e.Message)]);
        }
    }
}
