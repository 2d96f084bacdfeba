using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Authority;

/// <summary>Opens the CA keys ca.json names (<c>key</c>, <c>ssh.userKey</c>, <c>ssh.hostKey</c>) through the registered key managers.</summary>
internal static class CaKeyOpener
{
    /// <summary>
    /// The key's URI scheme chooses the key manager; a name without one belongs to the kms block's
    /// manager (softkms without a block: a file path). A KMS URI or name is passed
    /// as is; a softkms path is resolved like every other ca.json path. Failures name the field.
    /// </summary>
    /// <exception cref="CaConfigException">No key manager is registered for the key, or the key cannot be opened.</exception>
    public static async Task<ICertificateSigner> OpenAsync(GenerationKeyManagers keys, CaConfigLoadResult loaded, string key, string field, CancellationToken cancellationToken)
    {
        var manager = await keys.ForKeyAsync(key, field, cancellationToken).ConfigureAwait(false);
        var keyUri = keys.IsFilePath(key) ? loaded.ResolvePath(key) : key;
        try
        {
            return await manager.GetSignerAsync(keyUri, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not CaConfigException)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(field, $"error reading {key}: {e.Message}")]);
        }
    }
}
