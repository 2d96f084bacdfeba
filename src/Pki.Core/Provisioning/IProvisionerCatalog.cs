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

    /// <summary>
    /// Chooses the provisioner for a token by step-ca's rules (<c>LoadByToken</c>): audience fragment,
    /// else JWK <c>iss:kid</c>, else the other issuer-based rules. Null when none matches.
    /// </summary>
    IProvisioner? FindByToken(UnverifiedToken token, Audiences audiences);

    /// <summary>Finds the provisioner named in a certificate's provisioner extension.</summary>
    IProvisioner? FindByCertificate(X509Certificate2 certificate);

    /// <summary>Finds a JWK provisioner's encrypted private key by key id (<c>/provisioners/{kid}/encrypted-key</c>).</summary>
    string? FindEncryptedKey(string keyId);

    /// <summary>One page of provisioners, with step-ca's cursor encoding.</summary>
    ProvisionerPage List(string? cursor, int limit);
}

/// <summary>A page of provisioners.</summary>
/// <param name="Items">The provisioners on this page.</param>
/// <param name="NextCursor">The cursor of the next page, or empty on the last page.</param>
public sealed record ProvisionerPage(IReadOnlyList<IProvisioner> Items, string NextCursor);
