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
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(field, $"error reading {(keys.IsFilePath(key) ? key : Redacted(key))}: {e.Message}")]);
        }
    }

    /// <summary>
    /// A key URI as it may be shown: without its query (where step's URIs carry <c>pin-value</c>) and
    /// with every secret-looking attribute's value replaced, so a start-up error never prints a PIN,
    /// client secret or management key.
    /// </summary>
    internal static string Redacted(string keyUri)
    {
        var question = keyUri.IndexOf('?', StringComparison.Ordinal);
        var shown = question >= 0 ? keyUri[..question] + "?..." : keyUri;
        var parts = shown.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = equals >= 0 ? parts[i][..equals] : string.Empty;
            if (SecretAttribute.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase)))
            {
                parts[i] = name + "=***";
            }
        }
        return string.Join(';', parts);
    }

    private static readonly string[] SecretAttribute = ["pin", "secret", "management-key", "password", "passphrase"];
}
