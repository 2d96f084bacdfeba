using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Sqlite;
using Smallstep.Pki.Tests.Host.Binary;

namespace Smallstep.Pki.Tests.Host.Db;

/// <summary>
/// A PKI written by the host's own init (SQLite db) whose database holds <see cref="Count"/>
/// certificates: serial i (1-based, <c>1000000+i</c>) for <c>host-i.example</c>, issued by
/// provisioner "ops" (even i) or "ci" (odd i); every 10th revoked; the first half expired a week ago.
/// </summary>
internal sealed class DbPki : IDisposable
{
    private DbPki(WrittenPki pki, int count)
    {
        Pki = pki;
        Count = count;
    }

    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public WrittenPki Pki { get; }

    public int Count { get; }

    public string DatabasePath => Path.Combine(Pki.StepPath, "db", "pki.sqlite");

    public static string Serial(int i) => (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool Expired(int i, int count) => i <= count / 2;

    public static async Task<DbPki> CreateAsync(int count)
    {
        var pki = await WrittenPki.CreateAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var generator = X509SignatureGenerator.CreateForECDsa(key);
        await using var store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = Path.Combine(pki.StepPath, "db", "pki.sqlite"), Tables = StepTables.Authority });
        var revocations = new KeyValueRevocationStore(store);
        var batch = new List<KeyValueOperation>();
        for (var i = 1; i <= count; i++)
        {
            var request = new CertificateRequest($"CN=host-{i}.example", key, HashAlgorithmName.SHA256);
            var sans = new SubjectAlternativeNameBuilder();
            sans.AddDnsName($"host-{i}.example");
            request.CertificateExtensions.Add(sans.Build());
            var notAfter = Expired(i, count) ? Now.AddDays(-7) : Now.AddDays(30);
            using var certificate = request.Create(request.SubjectName, generator, notAfter.AddDays(-60), notAfter, BigInteger.Parse(Serial(i), System.Globalization.CultureInfo.InvariantCulture).ToByteArray(isBigEndian: true));
            var provisioner = i % 2 == 0 ? "ops" : "ci";
            var serialKey = Encoding.ASCII.GetBytes(Serial(i));
            batch.Add(KeyValueOperation.Set(StepTables.X509Certs, serialKey, certificate.RawData));
            batch.Add(KeyValueOperation.Set(StepTables.X509CertsData, serialKey, Encoding.UTF8.GetBytes($$$"""{"provisioner":{"id":"{{{provisioner}}}:kid","name":"{{{provisioner}}}","type":"JWK"}}""")));
            if (batch.Count >= 1000)
            {
                await store.ApplyAsync(batch);
                batch.Clear();
            }
            if (i % 10 == 0)
            {
                await revocations.TryRevokeAsync(new RevocationRecord(Serial(i), "ops:kid", 1, "keyCompromise", Now, notAfter, "", false, false));
            }
        }
        await store.ApplyAsync(batch);
        return new DbPki(pki, count);
    }

    public Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => HostProcess.RunToExitAsync(Pki.StepPath, arguments);

    public void Dispose() => Pki.Dispose();
}
