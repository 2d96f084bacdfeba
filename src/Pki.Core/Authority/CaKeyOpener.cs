using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Authority;

/// <summary>Opens the CA keys ca.json names (<c>key</c>, <c>ssh.userKey</c>, <c>ssh.hostKey</c>) through the key manager.</summary>
internal static class CaKeyOpener
{
    /// <summary>
    /// A KMS URI is passed as is; a softkms path is resolved like every other ca.json path.
    /// Failures name the field.
    /// </summary>
    /// <exception cref="CaConfigException">The key cannot be opened.</exception>
    public static async Task<ICertificateSigner> OpenAsync(IKeyManager keys, CaConfigLoadResult loaded, string key, string field, CancellationToken cancellationToken)
    {
        var keyUri = key.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(key) ? key : loaded.ResolvePath(key);
        try
        {
            return await keys.GetSignerAsync(keyUri, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not CaConfigException)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(field, $"error reading {key}: {e.Message}")]);
        }
    }
}
