using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Http;

/// <summary>
/// The three provisioners of the fixture ca.json (listed with the JSON step-ca 0.19 served,
/// http/07-get-provisioners.body.json) in Core's <see cref="ProvisionerCatalog"/>, recording the
/// paging arguments the HTTP layer passes.
/// </summary>
internal sealed class FixtureProvisionerCatalog : IProvisionerCatalog
{
    private readonly ProvisionerCatalog _inner;

    public FixtureProvisionerCatalog()
    {
        using var listing = JsonDocument.Parse(Fixtures.Text("http", "07-get-provisioners.body.json"));
        _inner = new ProvisionerCatalog(listing.RootElement.GetProperty("provisioners").EnumerateArray().Select(FixtureProvisioner.From)
            .Select(p => new ProvisionerCatalogEntry(p, p.WriteListingJson)).ToList());
    }

    /// <summary>The arguments of the last <see cref="List"/> call.</summary>
    public (string? Cursor, int Limit)? LastList { get; private set; }

    public IReadOnlyList<IProvisioner> All => _inner.All;

    public IProvisioner? FindByName(string name) => _inner.FindByName(name);

    public IProvisioner? FindById(string id) => _inner.FindById(id);

    public IProvisioner? FindByToken(UnverifiedToken token, Audiences audiences) => _inner.FindByToken(token, audiences);

    public IProvisioner? FindByCertificate(X509Certificate2 certificate) => _inner.FindByCertificate(certificate);

    public IProvisioner? FindByRoutingKey(ProvisionerRoutingKey key) => _inner.FindByRoutingKey(key);

    public IProvisioner? FindByClientCertificate(X509Certificate2 certificate) => _inner.FindByClientCertificate(certificate);

    public void WriteListing(IProvisioner provisioner, Utf8JsonWriter writer) => _inner.WriteListing(provisioner, writer);

    public string? FindEncryptedKey(string keyId) => _inner.FindEncryptedKey(keyId);

    public ProvisionerPage List(string? cursor, int limit)
    {
        LastList = (cursor, limit);
        return _inner.List(cursor, limit);
    }

    public void Reset() => LastList = null;
}
