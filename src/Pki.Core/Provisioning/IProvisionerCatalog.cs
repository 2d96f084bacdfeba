using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// The set of provisioners (step-ca <c>provisioner.Collection</c>). Lookups never verify tokens;
/// the provisioner they return does. Thread-safe; a reload swaps the whole set atomically.
/// </summary>
public interface IProvisionerCatalog
{
    /// <summary>All provisioners in configuration order.</summary>
    IReadOnlyList<IProvisioner> All { get; }

    /// <summary>Finds a provisioner by name.</summary>
    IProvisioner? FindByName(string name);

    /// <summary>Finds a provisioner by its id (<see cref="IProvisioner.Id"/>).</summary>
    IProvisioner? FindById(string id);

    /// <summary>Finds the provisioner that declared <paramref name="key"/>.</summary>
    IProvisioner? FindByRoutingKey(ProvisionerRoutingKey key);

    /// <summary>
    /// Chooses the provisioner for a token by step-ca's rules (<c>LoadByToken</c>) over the declared
    /// routing keys: with an audience of this CA, its fragment, else <c>iss:kid</c>; otherwise the
    /// token's tenant, authorized party, then first audience. Null when none matches.
    /// </summary>
    IProvisioner? FindByToken(UnverifiedToken token, Audiences audiences);

    /// <summary>
    /// Chooses the provisioner for a request without a token by its TLS client certificate's issuer
    /// (<see cref="ProvisionerRoutingKey.ClientCertificateIssuer"/>). Null when none declared it.
    /// </summary>
    IProvisioner? FindByClientCertificate(X509Certificate2 certificate);

    /// <summary>Finds the provisioner named in a certificate's provisioner extension.</summary>
    IProvisioner? FindByCertificate(X509Certificate2 certificate);

    /// <summary>Finds a JWK provisioner's encrypted private key by key id (<c>/provisioners/{kid}/encrypted-key</c>).</summary>
    string? FindEncryptedKey(string keyId);

    /// <summary>Writes <paramref name="provisioner"/> as <c>GET /provisioners</c> lists it: only what its type declares public.</summary>
    void WriteListing(IProvisioner provisioner, System.Text.Json.Utf8JsonWriter writer);

    /// <summary>One page of provisioners, with step-ca's cursor encoding.</summary>
    ProvisionerPage List(string? cursor, int limit);
}

/// <summary>A page of provisioners.</summary>
/// <param name="Items">The provisioners on this page.</param>
/// <param name="NextCursor">The cursor of the next page, or empty on the last page.</param>
public sealed record ProvisionerPage(IReadOnlyList<IProvisioner> Items, string NextCursor)
{
    /// <summary>The catalog generation the page was read from (a reload may have swapped the current one since); null for pages built by hand.</summary>
    public IProvisionerCatalog? Catalog { get; init; }
}
