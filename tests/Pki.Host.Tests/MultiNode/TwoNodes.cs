using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Binary;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.SqlStorage;

namespace Smallstep.Pki.Tests.Host.MultiNode;

/// <summary>
/// Two host processes serving one PKI from one ca.json (each on its own port, 127.0.0.1:0) against
/// one new database on a real SQL server: two nodes of one CA. Both start at the same moment, so
/// they also race to create the database and its tables.
/// </summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    private readonly WrittenPki _pki;

    private TwoNodes(WrittenPki pki, string database, X509Certificate2 root, HostProcess a, int portA, HostProcess b, int portB)
    {
        _pki = pki;
        Database = database;
        Root = root;
        A = new CaNode("A", a, new Uri($"https://127.0.0.1:{portA}"), root);
        B = new CaNode("B", b, new Uri($"https://127.0.0.1:{portB}"), root);
        Provisioner = ProvisionerKey.FromConfig(pki.ConfigPath, File.ReadAllText(pki.PasswordFile).Trim(), root.RawData);
    }

    /// <summary>The database both nodes use.</summary>
    public string Database { get; }

    public X509Certificate2 Root { get; }

    public CaNode A { get; }

    public CaNode B { get; }

    /// <summary>The JWK provisioner's key, for tokens either node accepts.</summary>
    public ProvisionerKey Provisioner { get; }

    /// <summary>Starts both nodes; <paramref name="editConfig"/> may change the ca.json they share first.</summary>
    public static async Task<TwoNodes> StartAsync(DatabaseServer server, Action<JsonNode>? editConfig = null)
    {
        var pki = await WrittenPki.CreateAsync();
        var database = DatabaseServer.NewDatabaseName();
        var config = JsonNode.Parse(File.ReadAllText(pki.ConfigPath))!;
        config["db"] = server.DbBlock(database);
        editConfig?.Invoke(config);
        File.WriteAllText(pki.ConfigPath, config.ToJsonString());
        var a = pki.Serve();
        var b = pki.Serve();
        var ports = await Task.WhenAll(a.WaitUntilServingAsync(), b.WaitUntilServingAsync());
        return new TwoNodes(pki, database, X509CertificateLoader.LoadCertificateFromFile(pki.RootPath), a, ports[0], b, ports[1]);
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        Root.Dispose();
        _pki.Dispose();
    }
}

/// <summary>One node: its process, its address and a client trusting the PKI's root.</summary>
internal sealed class CaNode(string name, HostProcess host, Uri baseAddress, X509Certificate2 root) : IAsyncDisposable
{
    public string Name { get; } = name;

    public HostProcess Host { get; } = host;

    /// <summary>A client without a client certificate.</summary>
    public HttpClient Client { get; } = CaHttpClient.Create(baseAddress, root);

    /// <summary>A client presenting <paramref name="certificate"/> (mTLS renew and revoke).</summary>
    public HttpClient ClientWith(X509Certificate2 certificate) => CaHttpClient.Create(baseAddress, root, certificate);

    /// <summary>A new client of this node that sends <paramref name="hostHeader"/> as <c>Host</c>: both nodes behind one name, as behind a load balancer.</summary>
    public HttpClient ClientAs(string hostHeader)
    {
        var client = CaHttpClient.Create(baseAddress, root);
        client.DefaultRequestHeaders.Host = hostHeader;
        return client;
    }

    public override string ToString() => Name;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
