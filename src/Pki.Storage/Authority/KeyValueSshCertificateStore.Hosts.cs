using System.Text;
using System.Text.Json;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// The host lookups of step-ca's database (db/db.go): <c>IsSSHHost</c> reads <c>ssh_hosts</c>,
/// <c>GetSSHHostPrincipals</c> lists <c>ssh_host_principals</c> rows whose <c>Expiry</c> is in the future.
/// </summary>
public sealed partial class KeyValueSshCertificateStore : ISshHostStore
{
    /// <inheritdoc />
    public async ValueTask<bool> IsHostAsync(string principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var key = Encoding.UTF8.GetBytes(principal.ToLowerInvariant());
        // Such a key can never have been written (see Writes).
        if (key.Length is 0 or > KeyValue.KeyValueArguments.MaxKeyLength)
        {
            return false;
        }
        return await _store.GetAsync(StepTables.SshHosts, key, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListHostPrincipalsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var principals = new List<string>();
        await foreach (var entry in _store.ScanAsync(StepTables.SshHostPrincipals, null, cancellationToken).ConfigureAwait(false))
        {
            if (Expiry(entry.Value) is { } expiry && expiry > (ulong)Math.Max(0, now.ToUnixTimeSeconds()))
            {
                principals.Add(Encoding.UTF8.GetString(entry.Key));
            }
        }
        return principals;
    }

    // {"Serial":"…","Expiry":<uint64>}; Go matches field names case-insensitively. A row that does
    // not parse lists nothing (step-ca fails the whole listing).
    private static ulong? Expiry(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, "Expiry", StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetUInt64(out var expiry) ? expiry : null;
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
