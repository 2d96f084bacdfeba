using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// A catalog whose contents can be swapped atomically (SIGHUP, admin changes): readers always see
/// one whole generation, never a mix. Thread-safe.
/// </summary>
public sealed class ReloadableProvisionerCatalog : IProvisionerCatalog
{
    private volatile ProvisionerCatalog _current;

    /// <summary>Starts with <paramref name="initial"/>.</summary>
    public ReloadableProvisionerCatalog(ProvisionerCatalog initial) => _current = initial;

    /// <summary>Replaces the whole set.</summary>
    public void Swap(ProvisionerCatalog next) => _current = next;

    /// <inheritdoc />
    public IReadOnlyList<IProvisioner> All => _current.All;

    /// <inheritdoc />
    public IProvisioner? FindByName(string name) => _current.FindByName(name);

    /// <inheritdoc />
    public IProvisioner? FindById(string id) => _current.FindById(id);

    /// <inheritdoc />
    public IProvisioner? FindByToken(UnverifiedToken token, Audiences audiences) => _current.FindByToken(token, audiences);

    /// <inheritdoc />
    public IProvisioner? FindByRoutingKey(ProvisionerRoutingKey key) => _current.FindByRoutingKey(key);

    /// <inheritdoc />
    public IProvisioner? FindByClientCertificate(X509Certificate2 certificate) => _current.FindByClientCertificate(certificate);

    /// <inheritdoc />
    public IProvisioner? FindByCertificate(X509Certificate2 certificate) => _current.FindByCertificate(certificate);

    /// <inheritdoc />
    public string? FindEncryptedKey(string keyId) => _current.FindEncryptedKey(keyId);

    /// <inheritdoc />
    public void WriteListing(IProvisioner provisioner, System.Text.Json.Utf8JsonWriter writer) => _current.WriteListing(provisioner, writer);

    /// <inheritdoc />
    public ProvisionerPage List(string? cursor, int limit) => _current.List(cursor, limit);
}
