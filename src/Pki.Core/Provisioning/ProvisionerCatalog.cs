using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The provisioners of one configuration (step-ca <c>provisioner.Collection</c>): immutable after
/// construction, so a reload builds a new catalog and swaps it (see <see cref="ReloadableProvisionerCatalog"/>).
/// </summary>
public sealed class ProvisionerCatalog : IProvisionerCatalog
{
    /// <summary>Page size when the request gives none or a non-positive one.</summary>
    public const int DefaultLimit = 20;

    /// <summary>Largest page size.</summary>
    public const int MaxLimit = 100;

    private readonly Dictionary<string, IProvisioner> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IProvisioner> _byName = new(StringComparer.Ordinal);
    private readonly (string SortKey, IProvisioner Provisioner)[] _sorted;

    /// <summary>Builds the catalog; throws <see cref="ArgumentException"/> on duplicate names or ids (step-ca refuses them too).</summary>
    public ProvisionerCatalog(IEnumerable<IProvisioner> provisioners)
    {
        All = provisioners.ToArray();
        for (var i = 0; i < All.Count; i++)
        {
            var p = All[i];
            if (!_byId.TryAdd(p.Id, p))
            {
                throw new ArgumentException($"provisioner with id {p.Id} is already registered");
            }
            if (!_byName.TryAdd(p.Name, p))
            {
                throw new ArgumentException($"provisioner with name {p.Name} is already registered");
            }
        }
        _sorted = All.Select((p, i) => (SortKey(p.Id, i), p)).OrderBy(e => e.Item1, StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<IProvisioner> All { get; }

    /// <inheritdoc />
    public IProvisioner? FindByName(string name) => _byName.GetValueOrDefault(name);

    /// <inheritdoc />
    public IProvisioner? FindById(string id) => _byId.GetValueOrDefault(id);

    /// <inheritdoc />
    public IProvisioner? FindByToken(UnverifiedToken token, Audiences audiences)
    {
        // collection.go LoadByToken: the first audience with a fragment names the provisioner.
        var fragment = token.Audience.Select(FragmentOf).FirstOrDefault(f => f.Length > 0) ?? "";
        var accepted = fragment.Length > 0 ? audiences.All.WithFragment(fragment) : audiences.All;
        if (accepted.Matches(token.Audience))
        {
            return fragment.Length > 0 ? FindById(fragment) : FindById($"{token.Issuer}:{token.KeyId}");
        }
        // Token types routed by issuer or client id (OIDC, Azure, K8sSA) use their ids directly.
        return token.Audience.Count > 0 ? FindById(token.Audience[0]) : null;
    }

    /// <inheritdoc />
    public IProvisioner? FindByCertificate(X509Certificate2 certificate) =>
        ProvisionerExtension.Read(certificate) is { } ext ? FindByName(ext.Name) : null;

    /// <inheritdoc />
    public string? FindEncryptedKey(string keyId) =>
        All.OfType<IEncryptedKeyHolder>().FirstOrDefault(p => p.KeyId == keyId)?.EncryptedKey;

    /// <inheritdoc />
    public ProvisionerPage List(string? cursor, int limit)
    {
        limit = limit <= 0 ? DefaultLimit : Math.Min(limit, MaxLimit);
        var padded = (cursor ?? "").PadLeft(40, '0');
        var i = 0;
        while (i < _sorted.Length && string.CompareOrdinal(_sorted[i].SortKey, padded) < 0)
        {
            i++;
        }
        var items = new List<IProvisioner>(Math.Min(limit, _sorted.Length));
        for (; i < _sorted.Length && items.Count < limit; i++)
        {
            items.Add(_sorted[i].Provisioner);
        }
        var next = i < _sorted.Length ? _sorted[i].SortKey.TrimStart('0') : "";
        return new ProvisionerPage(items, next);
    }

    // collection.go Store: SHA-1 of the id with the first four bytes replaced by the big-endian
    // insertion index, so the sort order is the configuration order.
    private static string SortKey(string id, int index)
    {
        var sum = SHA1.HashData(Encoding.UTF8.GetBytes(id));
        sum[0] = (byte)(index >> 24);
        sum[1] = (byte)(index >> 16);
        sum[2] = (byte)(index >> 8);
        sum[3] = (byte)index;
        return Convert.ToHexStringLower(sum);
    }

    private static string FragmentOf(string audience)
    {
        var hash = audience.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? "" : audience[(hash + 1)..];
    }
}

/// <summary>A provisioner that serves an encrypted private key (JWK <c>encryptedKey</c>).</summary>
public interface IEncryptedKeyHolder
{
    /// <summary>The key id (<c>kid</c>) the key is served under.</summary>
    string KeyId { get; }

    /// <summary>The compact JWE, or null when the provisioner has none.</summary>
    string? EncryptedKey { get; }
}
