using System.Security.Cryptography;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Bench.Fixture;
using Smallstep.Pki.Bench.Measure;
using Smallstep.Pki.Bench.Report;

namespace Smallstep.Pki.Bench.Modes;

/// <summary>
/// <c>ICertificateAuthority.SignAsync</c> called directly (no HTTP) at each load level, with the
/// SQLite store (the host's default), the in-memory one, or a PostgreSQL / MariaDB database.
/// </summary>
internal static class InProcessBench
{
    // Port-less, as step-ca compares audiences without ports.
    private const string Audience = "https://127.0.0.1/1.0/sign";

    public static async Task<ModeResult> RunAsync(BenchPki pki, InProcessVariant variant, LoadLevel warmup, IReadOnlyList<LoadLevel> levels)
    {
        try
        {
            return await MeasureAsync(pki, variant, warmup, levels).ConfigureAwait(false);
        }
        finally
        {
            await variant.Storage.DropAsync(pki.StepPath, variant.Key).ConfigureAwait(false);
        }
    }

    private static async Task<ModeResult> MeasureAsync(BenchPki pki, InProcessVariant variant, LoadLevel warmup, IReadOnlyList<LoadLevel> levels)
    {
        var name = variant.Name;
        var config = pki.WriteVariant(variant.Key, "127.0.0.1:9000", variant.Storage);
        await using var composed = await ComposedAuthority.CreateAsync(config, pki.Password).ConfigureAwait(false);
        var signer = pki.CreateTokenSigner();
        using var root = pki.LoadRoot();
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(root.RawData));
        var pid = Environment.ProcessId;
        var result = new ModeResult(name, variant.Description);
        result.StartupRssMiB = ProcessMemory.CurrentRssMiB(pid);
        var warmInputs = SignInputs.Prepare(signer, Audience, fingerprint, "warm", warmup.Requests);
        await LoadRunner.RunAsync(warmup.Requests, warmup.Concurrency, i => Sign(composed.Authority, warmInputs, i)).ConfigureAwait(false);
        foreach (var level in levels)
        {
            var measured = await InterferenceRetry.RunAsync(level.Concurrency, async () =>
            {
                var inputs = SignInputs.Prepare(signer, Audience, fingerprint, $"c{level.Concurrency}-{Guid.NewGuid().ToString("N")[..8]}", level.Warmup + level.Requests);
                var warm = await LoadRunner.RunAsync(level.Warmup, level.Concurrency, i => Sign(composed.Authority, inputs, i)).ConfigureAwait(false);
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                ProcessMemory.ResetPeak(pid);
                var cpu = CpuWatch.Start(pid, null, variant.Storage.ServerProcesses);
                var sample = await LoadRunner.RunAsync(level.Requests, level.Concurrency, i => Sign(composed.Authority, inputs, level.Warmup + i)).ConfigureAwait(false);
                var run = LevelResult.From(level.Concurrency, sample, ProcessMemory.PeakRssMiB(pid), warm.Errors, cpu.Stop(TimeSpan.FromSeconds(sample.Seconds)));
                Console.WriteLine($"  {name,-28} c={level.Concurrency,-3} {run}");
                return run;
            }).ConfigureAwait(false);
            result.Levels.Add(measured);
        }
        result.ProcessPeakRssMiB = result.Levels.Max(l => l.PeakRssMiB);
        result.Notes.Add("Peak RSS is the benchmark process itself, including the prepared tokens and CSRs of the level.");
        return result;
    }

    private static async ValueTask<bool> Sign(ICertificateAuthority authority, SignInputs inputs, int i)
    {
        var issued = await authority.SignAsync(new SignRequest(inputs.CsrDer[i], inputs.Tokens[i])).ConfigureAwait(false);
        return issued.LeafDer.Length > 0;
    }
}

/// <summary>Which store an in-process run uses, and how the report names it.</summary>
internal sealed record InProcessVariant(string Key, string Name, string Description, BenchStorage Storage)
{
    public static InProcessVariant Sqlite { get; } = new("inproc-sqlite", ResultNames.InProcessSqlite, "SignAsync on the composed authority, SQLite group commit (synchronous=FULL)", BenchStorage.Sqlite);

    public static InProcessVariant Memory { get; } = new("inproc-memory", ResultNames.InProcessMemory, "SignAsync on the composed authority, MemoryKeyValueStore", BenchStorage.Memory);

    /// <summary>A PostgreSQL or MariaDB database (step-ca's SQL schema through the pooled SQL store).</summary>
    public static InProcessVariant Server(string key, BenchStorage storage) =>
        new(key, ResultNames.InProcess(storage.Label), $"SignAsync on the composed authority, {storage.Label} (db.type {storage.DbType}, pooled connections, a transaction per token burn and per certificate)", storage);
}
