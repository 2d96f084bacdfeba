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
    private readonly Dictionary<ProvisionerRoutingKey, IProvisioner> _byRoutingKey = [];
    private readonly Dictionary<IProvisioner, Action<System.Text.Json.Utf8JsonWriter>?> _listings = new(ReferenceEqualityComparer.Instance);
    private readonly (string SortKey, IProvisioner Provisioner)[] _sorted;

    /// <summary>A catalog whose provisioners list only their type and name.</summary>
    /// <exception cref="ArgumentException">Duplicate names, ids or routing keys.</exception>
    public ProvisionerCatalog(IEnumerable<IProvisioner> provisioners)
        : this(provisioners.Select(p => new ProvisionerCatalogEntry(p, null)))
    {
    }

    /// <summary>
    /// Builds the catalog and indexes the routing keys each provisioner declares; throws
    /// <see cref="ArgumentException"/> on duplicate names, ids or routing keys (step-ca refuses duplicates too).
    /// </summary>
    public ProvisionerCatalog(IEnumerable<ProvisionerCatalogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToArray();
        All = list.Select(e => e.Provisioner).ToArray();
        foreach (var entry in list)
        {
            _listings[entry.Provisioner] = entry.WriteListing;
        }
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
            foreach (var key in p.RoutingKeys)
            {
                if (!_byRoutingKey.TryAdd(key, p) && !ReferenceEquals(_byRoutingKey[key], p))
                {
                    throw new ArgumentException($"provisioners {_byRoutingKey[key].Name} and {p.Name} declare the same routing key {key.Kind} \"{key.Value}\"");
                }
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
    public IProvisioner? FindByRoutingKey(ProvisionerRoutingKey key) => _byRoutingKey.GetValueOrDefault(key);

    /// <inheritdoc />
    public IProvisioner? FindByToken(UnverifiedToken token, Audiences audiences)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(audiences);
        // collection.go LoadByToken: with an audience of this CA, the first fragment names the
        // provisioner (GCP, AWS, X5C, SSHPOP, ...), else the token is a JWK one: iss + header kid.
        var fragment = token.Audience.Select(FragmentOf).FirstOrDefault(f => f.Length > 0) ?? "";
        var accepted = fragment.Length > 0 ? audiences.All.WithFragment(fragment) : audiences.All;
        if (accepted.Matches(token.Audience))
        {
            return fragment.Length > 0
                ? FindByRoutingKey(ProvisionerRoutingKey.AudienceFragment(fragment))
                : FindByRoutingKey(ProvisionerRoutingKey.IssuerAndKeyId(token.Issuer ?? "", token.KeyId ?? ""));
        }
        // Tokens of other issuers: by issuer (Kubernetes), Azure by tenant, OIDC by authorized party,
        // else the first audience.
        return (token.Issuer is { Length: > 0 } issuer ? FindByRoutingKey(ProvisionerRoutingKey.TokenIssuer(issuer)) : null)
            ?? (token.ClaimString("tid") is { Length: > 0 } tenant ? FindByRoutingKey(ProvisionerRoutingKey.Tenant(tenant)) : null)
            ?? (token.ClaimString("azp") is { Length: > 0 } party ? FindByRoutingKey(ProvisionerRoutingKey.AuthorizedParty(party)) : null)
            ?? (token.Audience.Count > 0 ? FindByRoutingKey(ProvisionerRoutingKey.TokenAudience(token.Audience[0])) : null);
    }

    /// <inheritdoc />
    public IProvisioner? FindByClientCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FindByRoutingKey(ProvisionerRoutingKey.ClientCertificateIssuer(certificate.IssuerName.Name));
    }

    /// <inheritdoc />
    public IProvisioner? FindByCertificate(X509Certificate2 certificate) =>
        ProvisionerExtension.Read(certificate) is { } ext ? FindByName(ext.Name) : null;

    /// <inheritdoc />
    public string? FindEncryptedKey(string keyId) =>
        All.OfType<IEncryptedKeyHolder>().FirstOrDefault(p => p.KeyId == keyId)?.EncryptedKey;

    /// <inheritdoc />
    public void WriteListing(IProvisioner provisioner, System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(provisioner);
        ArgumentNullException.ThrowIfNull(writer);
        if (_listings.GetValueOrDefault(provisioner) is { } write)
        {
            write(writer);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("type", provisioner.Type);
        writer.WriteString("name", provisioner.Name);
        writer.WriteEndObject();
    }

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
        return new ProvisionerPage(items, next) { Catalog = this };
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

/// <summary>A provisioner of a catalog and how <c>GET /provisioners</c> lists it.</summary>
/// <param name="Provisioner">The provisioner.</param>
/// <param name="WriteListing">Writes its listing (its type's <see cref="ProvisionerListing"/> over its entry); null lists type and name only.</param>
public sealed record ProvisionerCatalogEntry(IProvisioner Provisioner, Action<System.Text.Json.Utf8JsonWriter>? WriteListing);

/// <summary>A provisioner that serves an encrypted private key (JWK <c>encryptedKey</c>).</summary>
public interface IEncryptedKeyHolder
{
    /// <summary>The key id (<c>kid</c>) the key is served under.</summary>
    string KeyId { get; }

    /// <summary>The compact JWE, or null when the provisioner has none.</summary>
    string? EncryptedKey { get; }
}
