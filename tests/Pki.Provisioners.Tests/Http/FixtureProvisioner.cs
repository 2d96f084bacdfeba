using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Http;

/// <summary>A provisioner double that lists itself with the JSON step-ca served for it; it authorizes nothing.</summary>
internal sealed class FixtureProvisioner : IProvisioner, IEncryptedKeyHolder
{
    private readonly string _listingJson;
    private readonly string? _keyId;

    private FixtureProvisioner(string type, string name, string id, string? keyId, string? encryptedKey, string listingJson)
    {
        Type = type;
        Name = name;
        Id = id;
        _keyId = keyId;
        EncryptedKey = encryptedKey;
        _listingJson = listingJson;
    }

    public string Name { get; }

    public string Type { get; }

    public string Id { get; }

    public string KeyId => _keyId ?? string.Empty;

    public string? EncryptedKey { get; }

    public ClaimSet Claims => ClaimSet.Global;

    public ProvisionerExtensionInfo ExtensionInfo => new(0, KeyId);

    public static FixtureProvisioner From(JsonElement listing)
    {
        var type = listing.GetProperty("type").GetString()!;
        var name = listing.GetProperty("name").GetString()!;
        string? kid = listing.TryGetProperty("key", out var key) ? key.GetProperty("kid").GetString() : null;
        string? encryptedKey = listing.TryGetProperty("encryptedKey", out var e) ? e.GetString() : null;
        // GetID in authority/provisioner: JWK "name:kid", ACME "acme/name", SSHPOP "sshpop/name".
        var id = kid is not null ? $"{name}:{kid}" : $"{type.ToLowerInvariant()}/{name}";
        return new FixtureProvisioner(type, name, id, kid, encryptedKey, listing.GetRawText());
    }

    public IReadOnlyList<ProvisionerRoutingKey> RoutingKeys => [ProvisionerRoutingKey.AudienceFragment(Id)];

    public void WriteListingJson(Utf8JsonWriter writer) => writer.WriteRawValue(_listingJson);

    public ValueTask<SignAuthorization> AuthorizeSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public ValueTask AuthorizeRenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public ValueTask<RevokeAuthorization> AuthorizeRevokeAsync(AuthorizationContext context, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
