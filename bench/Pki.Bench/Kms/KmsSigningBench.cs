using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Bench.Kms;

/// <summary>
/// <c>Smallstep.Pki.Bench kms --module M --token T --pin P [--seconds S] [--out FILE]</c> (run by
/// scripts/bench-kms.sh): signatures per second through softkms and through PKCS#11 (a SoftHSM2
/// token) for EC P-256 and RSA 2048, with 1 and 4 concurrent signers, each signing a 1 KiB
/// to-be-signed blob (about a leaf certificate's TBS) for a fixed time after a warm-up. Writes the
/// table between <c>&lt;!-- kms:begin --&gt;</c> and <c>&lt;!-- kms:end --&gt;</c> in the output file.
/// </summary>
internal static class KmsSigningBench
{
    private static readonly int[] Concurrency = [1, 4];

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"kms bench needs --{name}");
        }
        var load = LoadAverage();
        var seconds = double.Parse(Arg("seconds", "3"), CultureInfo.InvariantCulture);
        var output = Arg("out", "docs/benchmarks.md");
        var kmsUri = $"pkcs11:module-path={Arg("module")};token={Arg("token")}?pin-value={Arg("pin")}";
        var scratch = Directory.CreateTempSubdirectory("pki-kms-bench-");
        var services = new ServiceCollection().BuildServiceProvider();
        var rows = new List<string>();
        try
        {
            var soft = new SoftKeyManager(new SoftKmsOptions { BaseDirectory = scratch.FullName, PasswordProvider = _ => "bench" });
            await using var pkcs11 = await Microsoft.Extensions.DependencyInjection.Pkcs11KmsPkiBuilderExtensions.Pkcs11Registration
                .CreateAsync(new KeyManagerContext(new KmsConfig { Type = "pkcs11", Uri = kmsUri }, services), CancellationToken.None);
            var n = 0;
            foreach (var (algorithm, label) in new[] { (KeyAlgorithm.EcdsaP256, "EC P-256"), (KeyAlgorithm.Rsa, "RSA 2048") })
            {
                n++;
                var softKey = await soft.CreateKeyAsync(new CreateKeyRequest($"key-{n}", algorithm, 2048));
                var hsmKey = await pkcs11.CreateKeyAsync(new CreateKeyRequest($"pkcs11:id={0xbe00 + n:x4};object=bench-{n}-{Guid.NewGuid():N}", algorithm, 2048));
                foreach (var (name, manager, key) in new[] { ("softkms", (IKeyManager)soft, softKey.KeyUri), ("PKCS#11 (SoftHSM2)", pkcs11, hsmKey.KeyUri) })
                {
                    var signer = await manager.GetSignerAsync(key);
                    var perSecond = Concurrency.Select(c => Measure(signer, c, seconds)).ToArray();
                    rows.Add($"| {label} | {name} | {perSecond[0]:N0} | {perSecond[1]:N0} |");
                    Console.Out.WriteLine(rows[^1]);
                }
            }
            soft.Dispose();
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
        WriteSection(output, rows, seconds, load);
        return 0;
    }

    private static double Measure(ICertificateSigner signer, int callers, double seconds)
    {
        var tbs = new byte[1024];
        Random.Shared.NextBytes(tbs);
        Run(signer, tbs, callers, TimeSpan.FromSeconds(Math.Min(1, seconds / 3))); // warm-up: sessions, JIT
        var clock = Stopwatch.StartNew();
        var count = Run(signer, tbs, callers, TimeSpan.FromSeconds(seconds));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static long Run(ICertificateSigner signer, byte[] tbs, int callers, TimeSpan duration)
    {
        long count = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var threads = Enumerable.Range(0, callers).Select(_ => new Thread(() =>
        {
            long mine = 0;
            while (Stopwatch.GetTimestamp() < until)
            {
                signer.SignAsync(tbs).AsTask().GetAwaiter().GetResult();
                mine++;
            }
            Interlocked.Add(ref count, mine);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return count;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static void WriteSection(string path, List<string> rows, double seconds, string load)
    {
        var section = new StringBuilder()
            .AppendLine("<!-- kms:begin (written by scripts/bench-kms.sh) -->")
            .AppendLine("## Signing through key managers")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Signatures per second of a 1 KiB to-be-signed blob (about a leaf certificate's TBS), {seconds:0.#} s per cell after a warm-up,")
            .AppendLine(CultureInfo.InvariantCulture, $"on {Environment.ProcessorCount} cores shared with other work (1-minute load average {load} when the run started), {DateTime.UtcNow:yyyy-MM-dd}:")
            .AppendLine("compare the rows with each other, not with other machines. softkms signs in process with OpenSSL; PKCS#11 goes through")
            .AppendLine("Pkcs11Interop to SoftHSM2 (Debian's softhsm2, file object store): the data is hashed in .NET and the token signs the")
            .AppendLine("digest (CKM_ECDSA, CKM_RSA_PKCS), one pooled session per concurrent signer. Hardware HSMs and YubiKeys were not measured")
            .AppendLine("(a YubiKey signs a few to a few tens of times per second).")
            .AppendLine()
            .AppendLine("| key | key manager | 1 signer | 4 signers |")
            .AppendLine("|---|---|---:|---:|");
        rows.ForEach(r => section.AppendLine(r));
        section.Append("<!-- kms:end -->");
        var text = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        var begin = text.IndexOf("<!-- kms:begin", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- kms:end -->", StringComparison.Ordinal);
        text = begin >= 0 && end > begin
            ? text[..begin] + section + text[(end + "<!-- kms:end -->".Length)..]
            : text.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(path, text);
    }
}
