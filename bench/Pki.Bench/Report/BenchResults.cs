using System.Globalization;
using System.Text.Json;
using Smallstep.Pki.Bench.Measure;

namespace Smallstep.Pki.Bench.Report;

/// <summary>Everything the child processes measured, passed to the parent as JSON.</summary>
internal sealed class BenchResults
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public List<ModeResult> Modes { get; set; } = [];

    public List<StageResult> Stages { get; set; } = [];

    public List<string> StageNotes { get; set; } = [];

    public List<ExportResult> Exports { get; set; } = [];

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static BenchResults Load(string path) => JsonSerializer.Deserialize<BenchResults>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} is empty");

    public void Add(BenchResults other)
    {
        Modes.AddRange(other.Modes);
        Stages.AddRange(other.Stages);
        StageNotes.AddRange(other.StageNotes);
        Exports.AddRange(other.Exports);
    }
}

/// <summary>One way of driving the CA (in-process or HTTP, a store) across load levels.</summary>
internal sealed class ModeResult(string name, string description)
{
    public string Name { get; set; } = name;

    public string Description { get; set; } = description;

    public List<LevelResult> Levels { get; set; } = [];

    /// <summary>RSS once started, before load.</summary>
    public double StartupRssMiB { get; set; }

    /// <summary>True when the peak RSS is the CA's alone (HTTP: the host); false when it is the benchmark process with its prepared inputs.</summary>
    public bool RssIsCaOnly { get; set; }

    /// <summary>Highest peak over the levels.</summary>
    public double ProcessPeakRssMiB { get; set; }

    public List<string> Notes { get; set; } = [];
}

/// <summary>One load level's figures.</summary>
/// <param name="CpuMsPerRequest">CPU time of the CA process (the host, or the in-process benchmark) per request.</param>
/// <param name="ClientCpuMsPerRequest">CPU time of the HTTP load generator per request (HTTP runs only).</param>
/// <param name="OtherCpuPercent">Share of the machine other processes used during the level.</param>
internal sealed record LevelResult(int Concurrency, int Requests, int Errors, string? FirstError, double Seconds, double RequestsPerSecond, double P50Ms, double P99Ms, double MaxMs, double PeakRssMiB,
    double CpuMsPerRequest, double? ClientCpuMsPerRequest, double OtherCpuPercent)
{
    /// <summary>2 when the level was run again because of other processes' load (<see cref="Measure.InterferenceRetry"/>).</summary>
    public int Runs { get; init; } = 1;

    /// <summary>CPU time of the database server's processes per request (runs on a SQL server on this machine).</summary>
    public double? ServerCpuMsPerRequest { get; init; }

    public static LevelResult From(int concurrency, LoadSample sample, double peakRssMiB, int warmupErrors, CpuReading cpu) =>
        new(concurrency, sample.Requests, sample.Errors + warmupErrors, sample.FirstError, sample.Seconds, sample.RequestsPerSecond, sample.P50Ms, sample.P99Ms, sample.MaxMs, peakRssMiB,
            cpu.Ca.TotalMilliseconds / sample.Requests, cpu.Client?.TotalMilliseconds / sample.Requests, cpu.OtherPercent)
        {
            ServerCpuMsPerRequest = cpu.Server?.TotalMilliseconds / sample.Requests,
        };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{RequestsPerSecond,8:F0} req/s  p50 {P50Ms,7:F2} ms  p99 {P99Ms,7:F2} ms  max {MaxMs,7:F1} ms  peak RSS {PeakRssMiB,6:F0} MiB  cpu {CpuMsPerRequest:F3} ms/req{(ClientCpuMsPerRequest is { } c ? $" (client {c:F3})" : "")}{(ServerCpuMsPerRequest is { } d ? $" (db server {d:F3})" : "")}  other load {OtherCpuPercent:F0}%  errors {Errors}{(FirstError is null ? "" : " (" + FirstError + ")")}");
}

/// <summary>One pipeline stage timed in isolation.</summary>
internal sealed record StageResult(string Stage, double MicrosPerOp, double BytesPerOp, int Iterations, string Note);
