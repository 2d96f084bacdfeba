using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Bench.Fixture;
using Smallstep.Pki.Bench.Measure;
using Smallstep.Pki.Bench.Modes;
using Smallstep.Pki.Bench.Report;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Bench.Orchestration;

/// <summary>
/// <c>--against step-ca</c>: our host and step-ca 0.19 side by side, alternately (A B A B), each run
/// on a fresh copy of the step-ca fixture PKI (<c>shared/fixtures/step-ca-0.19/pki</c>) with a fresh
/// database (ours: SQLite; step-ca: Badger v2, as that PKI's ca.json has it), both logging one line
/// per request to a file. Every run is driven by the same clients in the same order: the Go client
/// (<c>bench/goclient</c>, net/http keep-alive) for sign at 32 and 1 callers and mTLS renew at 32,
/// the .NET <c>HttpClient</c> for sign at 32, and <c>wrk</c> with <c>bench/wrk/sign.lua</c> for sign at
/// 32. Every sign request has its own new P-256 CSR and one-time token, minted after the server
/// started and before the level's clock starts. The section it writes is spliced into
/// docs/benchmarks.md between <see cref="Begin"/> and <see cref="End"/>.
/// </summary>
internal static class AgainstStepCa
{
    public const string Begin = "<!-- against-step-ca:begin (written by scripts/bench.sh --against step-ca) -->";
    public const string End = "<!-- against-step-ca:end -->";
    private const string Provisioner = "fixture-admin";
    private static string? s_perf;

    private sealed record Plan(int ProcessWarmup, int Sign32, int Sign1, int Renew32, int WrkSeconds, int Rounds)
    {
        public static Plan For(bool quick) => quick ? new(600, 1500, 200, 1500, 2, 1) : new(6000, 12000, 1500, 12000, 6, 2);
    }

    public static async Task<int> RunAsync(BenchOptions options, string repo, string output)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var plan = Plan.For(options.Quick) is var p && options.Rounds is { } rounds ? p with { Rounds = rounds } : Plan.For(options.Quick);
        s_perf = options.Perf is null ? null : Directory.CreateDirectory(options.Perf).FullName;
        var hostDll = Path.GetFullPath(options.Host ?? Path.Combine(repo, "src", "Pki.Host", "bin", "Release", "net10.0", "Smallstep.Pki.Host.dll"));
        var stepCa = Path.GetFullPath(options.StepCa ?? Path.Combine(repo, "artifacts", "step-ca", "step-ca"));
        var goClient = Path.GetFullPath(options.GoClient ?? Path.Combine(repo, "artifacts", "goclient", "pki-bench-client"));
        var fixture = Path.GetFullPath(options.Fixture ?? Path.Combine(repo, "..", "shared", "fixtures", "step-ca-0.19", "pki"));
        var lua = Path.Combine(repo, "bench", "wrk", "sign.lua");
        foreach (var file in new[] { hostDll, stepCa, goClient, lua, Path.Combine(fixture, "config", "ca.json") })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"missing {file} (scripts/bench.sh --against step-ca builds it)");
            }
        }
        var wrk = FindOnPath("wrk");
        var work = Directory.CreateTempSubdirectory("pki-vs-stepca-").FullName;
        var machine = MachineInfo.Collect(work, repo);
        Console.WriteLine($"work folder {work}; load average {machine.LoadAverage}");
        var runs = new List<ServerRun>();
        // Per round: the baseline hosts (older commits, oldest first), ours, step-ca.
        var baselineDlls = options.BaselineHost?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var baselineNames = options.BaselineName?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var servers = baselineDlls.Select((dll, i) => new ServerSpec($"ours at {(i < baselineNames.Length ? baselineNames[i] : "baseline " + (i + 1))}", ServerKind.Baseline, Path.GetFullPath(dll), $"base{i}")).ToList();
        if (options.Servers is "both" or "ours")
        {
            servers.Add(new ServerSpec("ours", ServerKind.Ours, hostDll, "ours"));
            if (options.VariantEnvironment is { } variant)
            {
                var env = variant.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
                servers.Add(new ServerSpec($"ours with {variant}", ServerKind.Ours, hostDll, "variant") { Environment = env });
            }
        }
        if (options.Servers is "both" or "step-ca")
        {
            servers.Add(new ServerSpec(StepCaLabel, ServerKind.StepCa, null, "stepca"));
        }
        try
        {
            for (var round = 1; round <= plan.Rounds; round++)
            {
                foreach (var server in servers)
                {
                    Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] round {round}: {server.Label}");
                    var dir = Path.Combine(work, $"r{round}-{server.Key}");
                    runs.Add(await RunServerAsync(server, round, dir, fixture, stepCa, goClient, wrk, lua, plan).ConfigureAwait(false));
                    if (!options.Keep)
                    {
                        Directory.Delete(dir, recursive: true);
                    }
                }
            }
        }
        finally
        {
            if (!options.Keep)
            {
                Directory.Delete(work, recursive: true);
            }
        }
        var section = Render(runs, machine, started, clock.Elapsed, plan, wrk is not null);
        var page = File.Exists(output) ? await File.ReadAllTextAsync(output).ConfigureAwait(false) : "# Benchmarks\n";
        await File.WriteAllTextAsync(output, Splice(page, section)).ConfigureAwait(false);
        Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] wrote the step-ca section of {output}");
        Console.WriteLine(section);
        return 0;
    }

    internal enum ServerKind
    {
        Baseline,
        Ours,
        StepCa,
    }

    private const string StepCaLabel = "step-ca 0.19";

    /// <summary>One server of a round: <paramref name="Dll"/> is the host to run (null for step-ca).</summary>
    private sealed record ServerSpec(string Label, ServerKind Kind, string? Dll, string Key)
    {
        /// <summary>Extra environment of the server process.</summary>
        public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    }

    private static async Task<ServerRun> RunServerAsync(ServerSpec spec, int round, string dir, string fixture, string stepCa, string goClient, string? wrk, string lua, Plan plan)
    {
        var kind = spec.Kind;
        CopyDirectory(fixture, dir);
        var port = BenchPki.FreePort();
        var configFile = Path.Combine(dir, "config", "ca.json");
        var config = JsonNode.Parse(File.ReadAllText(configFile))!.AsObject();
        config["address"] = $"127.0.0.1:{port}";
        Directory.CreateDirectory(Path.Combine(dir, "db"));
        config["db"] = kind != ServerKind.StepCa
            ? new JsonObject { ["type"] = "sqlite", ["dataSource"] = Path.Combine(dir, "db", "ca.sqlite") }
            : new JsonObject { ["type"] = "badgerv2", ["dataSource"] = Path.Combine(dir, "db") };
        File.WriteAllText(configFile, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var passwordFile = Path.Combine(dir, "password.txt");
        var password = File.ReadAllText(passwordFile).Trim();
        var signer = TokenSignerFor(config, password);
        var log = Path.Combine(dir, "server.log");
        var command = kind != ServerKind.StepCa
            ? new[] { "dotnet", spec.Dll!, configFile, "--password-file", passwordFile }
            : new[] { stepCa, configFile, "--password-file", passwordFile };
        var environment = new Dictionary<string, string>(spec.Environment) { ["STEPPATH"] = dir };
        if (s_perf is not null && kind != ServerKind.StepCa)
        {
            // perf resolves JIT-compiled frames through /tmp/perf-PID.map.
            environment["DOTNET_PerfMapEnabled"] = "1";
            // Without this, JIT code runs from a double-mapped memfd that perf cannot match to the map.
            environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        var run = new ServerRun { Server = spec.Label, Round = round, LoadBefore = LoadAverage() };
        var baseUri = $"https://127.0.0.1:{port}";
        var rootFile = Path.Combine(dir, "certs", "root_ca.crt");
        using var root = X509CertificateLoader.LoadCertificateFromFile(rootFile);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(root.RawData));
        var audience = baseUri + "/1.0/sign";

        await using var server = HostProcess.StartCommand(command, dir, log, environment);
        await WaitUntilReadyAsync(server, baseUri, root).ConfigureAwait(false);
        run.StartupRssMiB = ProcessMemory.CurrentRssMiB(server.Pid);
        // Tokens with iat before the CA's start are refused (iat has whole seconds).
        await Task.Delay(1100).ConfigureAwait(false);

        string Bodies(string name, int count)
        {
            var inputs = SignInputs.Prepare(signer, audience, fingerprint, $"r{round}-{name}", count, Provisioner);
            var path = Path.Combine(dir, name + ".jsonl");
            using var writer = new FileStream(path, FileMode.Create);
            for (var i = 0; i < inputs.Count; i++)
            {
                writer.Write(inputs.JsonBody(i));
                writer.WriteByte((byte)'\n');
            }
            return path;
        }

        // Untimed: the process warm-up (tiered compilation for us; the same requests for step-ca).
        var warm = Bodies("warmup", plan.ProcessWarmup + 8);
        await RunGoAsync(run, "warm-up", goClient, server.Pid, baseUri + "/1.0/sign", rootFile, ["-bodies", warm, "-c", "8", "-warm", plan.ProcessWarmup.ToString(CultureInfo.InvariantCulture), "-n", "8"], record: false).ConfigureAwait(false);

        var sign32 = Bodies("sign32", plan.Sign32 + 320);
        var perf = s_perf is not null && round == 1 ? StartPerf(server.Pid, Path.Combine(s_perf, spec.Key + ".perf.data")) : null;
        // dotnet-counters (a NuGet tool) on our hosts: GC and thread-pool figures over the same level.
        var counters = s_perf is not null && round == 1 && kind != ServerKind.StepCa ? StartCounters(server.Pid, Path.Combine(s_perf, spec.Key + ".counters.csv")) : null;
        var goSign32 = await RunGoAsync(run, "sign c=32", goClient, server.Pid, baseUri + "/1.0/sign", rootFile, ["-bodies", sign32, "-c", "32", "-warm", "320", "-n", plan.Sign32.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        foreach (var recorder in new[] { perf, counters }.OfType<Process>())
        {
            _ = Kill(recorder.Id, 2);
            await recorder.WaitForExitAsync().ConfigureAwait(false);
            recorder.Dispose();
        }
        var sign1 = Bodies("sign1", plan.Sign1 + 50);
        await RunGoAsync(run, "sign c=1", goClient, server.Pid, baseUri + "/1.0/sign", rootFile, ["-bodies", sign1, "-c", "1", "-warm", "50", "-n", plan.Sign1.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);

        var (certFile, keyFile) = await IssueClientCertificateAsync(dir, baseUri, root, signer, audience, fingerprint).ConfigureAwait(false);
        var renewPerf = s_perf is not null && round == 1 ? StartPerf(server.Pid, Path.Combine(s_perf, spec.Key + ".renew.perf.data")) : null;
        await RunGoAsync(run, "renew c=32", goClient, server.Pid, baseUri + "/1.0/renew", rootFile, ["-cert", certFile, "-key", keyFile, "-c", "32", "-warm", "320", "-n", plan.Renew32.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        if (renewPerf is not null)
        {
            _ = Kill(renewPerf.Id, 2);
            await renewPerf.WaitForExitAsync().ConfigureAwait(false);
            renewPerf.Dispose();
        }

        await RunDotnetAsync(run, server.Pid, baseUri + "/1.0/sign", root, signer, audience, fingerprint, round, plan.Sign32).ConfigureAwait(false);

        if (wrk is not null)
        {
            // Enough bodies for the fastest client so far with room to spare; a wrk thread that runs out stops.
            var fastest = run.Levels.Where(l => l.Level == "sign c=32").Max(l => l.Rps);
            var needed = (int)Math.Max(6000, fastest * plan.WrkSeconds * 2.5 + 2000);
            var wrkBodies = Bodies("wrk", needed);
            await RunWrkAsync(run, wrk, lua, wrkBodies, server.Pid, baseUri + "/1.0/sign", plan.WrkSeconds).ConfigureAwait(false);
        }
        if (server.HasExited)
        {
            throw new InvalidOperationException($"{run.Server} exited during the run:\n{server.LogTail()}");
        }
        run.LoadAfter = LoadAverage();
        run.LogLines = CountLines(log);
        return run;
    }

    private static Process? StartCounters(int pid, string file)
    {
        var tool = Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".dotnet", "tools", "dotnet-counters");
        if (!File.Exists(tool))
        {
            Console.WriteLine("  (dotnet-counters not installed: dotnet tool install -g dotnet-counters)");
            return null;
        }
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime", "--refresh-interval", "1", "--format", "csv", "-o", file })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start);
        Thread.Sleep(500);
        return process;
    }

    private static Process StartPerf(int pid, string file)
    {
        var start = new ProcessStartInfo("perf") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        // PKI_BENCH_PERF_CALLGRAPH=dwarf unwinds through OpenSSL (no frame pointers) to the .NET shim that called it.
        foreach (var arg in new[] { "record", "-F", "999", "--call-graph", Environment.GetEnvironmentVariable("PKI_BENCH_PERF_CALLGRAPH") ?? "fp", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start perf");
        Thread.Sleep(300);
        return process;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static TokenSigner TokenSignerFor(JsonObject config, string password)
    {
        foreach (var provisioner in config["authority"]!["provisioners"]!.AsArray())
        {
            if ((string?)provisioner!["name"] == Provisioner)
            {
                return new TokenSigner(EncryptedKey.Decrypt((string)provisioner["encryptedKey"]!, password));
            }
        }
        throw new InvalidOperationException($"the fixture's ca.json has no provisioner {Provisioner}");
    }

    // A leaf from POST /1.0/sign, written as chain + key PEM for the renew level's mTLS.
    private static async Task<(string Cert, string Key)> IssueClientCertificateAsync(string dir, string baseUri, X509Certificate2 root, TokenSigner signer, string audience, string fingerprint)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        const string name = "renew.bench.internal";
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName(name);
        request.CertificateExtensions.Add(sans.Build());
        var token = signer.Sign(new TokenDescriptor { Issuer = Provisioner, Subject = name, Audience = [audience], Sans = [name], Sha = fingerprint });
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["csr"] = PemEncoding.WriteString("CERTIFICATE REQUEST", request.CreateSigningRequest()), ["ott"] = token });
        using var client = HttpBench.CreateClient(root, 1);
        using var content = new StringContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(new Uri(audience), content).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"POST /1.0/sign answered {(int)response.StatusCode}: {text}");
        }
        using var json = JsonDocument.Parse(text);
        var chain = json.RootElement.GetProperty("crt").GetString() + json.RootElement.GetProperty("ca").GetString();
        var certFile = Path.Combine(dir, "renew.crt");
        var keyFile = Path.Combine(dir, "renew.key");
        await File.WriteAllTextAsync(certFile, chain).ConfigureAwait(false);
        await File.WriteAllTextAsync(keyFile, key.ExportECPrivateKeyPem()).ConfigureAwait(false);
        return (certFile, keyFile);
    }

    private static async Task<LevelRun> RunGoAsync(ServerRun run, string level, string goClient, int serverPid, string url, string rootFile, string[] args, bool record = true)
    {
        var start = new ProcessStartInfo(goClient) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-url", url, "-root", rootFile }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        var (stdout, stderr, watch, exit) = await RunWatchedAsync(start, serverPid).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"the Go client failed ({exit}): {stderr}");
        }
        using var json = JsonDocument.Parse(stdout.Trim());
        var r = json.RootElement;
        var warm = Array.IndexOf(args, "-warm") is var w and >= 0 ? int.Parse(args[w + 1], CultureInfo.InvariantCulture) : 0;
        var result = new LevelRun
        {
            Level = level,
            Client = "Go net/http",
            Requests = r.GetProperty("requests").GetInt32(),
            Errors = r.GetProperty("errors").GetInt64(),
            FirstError = r.TryGetProperty("firstError", out var e) ? e.GetString() : null,
            Rps = r.GetProperty("rps").GetDouble(),
            P50Ms = r.GetProperty("p50Ms").GetDouble(),
            P99Ms = r.GetProperty("p99Ms").GetDouble(),
            MaxMs = r.GetProperty("maxMs").GetDouble(),
            ClientCpuMsPerRequest = r.GetProperty("clientCpuSeconds").GetDouble() * 1000 / r.GetProperty("requests").GetInt32(),
        };
        watch.Apply(result, result.Requests + warm);
        Report(run, result, record);
        return result;
    }

    private static async Task RunWrkAsync(ServerRun run, string wrk, string lua, string bodies, int serverPid, string url, int seconds)
    {
        const int threads = 2;
        var start = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", "32", "-d", $"{seconds}s", "--timeout", "30s", "-s", lua, url, "--", bodies, threads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        var (stdout, stderr, watch, exit) = await RunWatchedAsync(start, serverPid).ConfigureAwait(false);
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("WRKJSON ", StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"wrk failed ({exit}): {stdout}{stderr}");
        }
        using var json = JsonDocument.Parse(line["WRKJSON ".Length..]);
        var r = json.RootElement;
        var requests = r.GetProperty("requests").GetInt32();
        var errors = r.GetProperty("non2xx").GetInt64() + r.GetProperty("connect").GetInt64() + r.GetProperty("read").GetInt64() + r.GetProperty("write").GetInt64() + r.GetProperty("timeout").GetInt64();
        var result = new LevelRun
        {
            Level = "sign c=32",
            Client = "wrk (Lua, pre-made bodies)",
            Requests = requests,
            Errors = errors,
            Rps = requests / r.GetProperty("seconds").GetDouble(),
            P50Ms = r.GetProperty("p50Ms").GetDouble(),
            P99Ms = r.GetProperty("p99Ms").GetDouble(),
            MaxMs = r.GetProperty("maxMs").GetDouble(),
            ClientCpuMsPerRequest = watch.ClientCpu.TotalMilliseconds / Math.Max(1, requests),
        };
        watch.Apply(result, requests);
        Report(run, result, true);
    }

    private static async Task RunDotnetAsync(ServerRun run, int serverPid, string url, X509Certificate2 root, TokenSigner signer, string audience, string fingerprint, int round, int count)
    {
        const int warmup = 320;
        var inputs = SignInputs.Prepare(signer, audience, fingerprint, $"r{round}-dotnet", warmup + count, Provisioner);
        var bodies = Enumerable.Range(0, inputs.Count).Select(inputs.JsonBody).ToArray();
        var uri = new Uri(url);
        using var client = HttpBench.CreateClient(root, 32);
        ProcessMemory.ResetPeak(serverPid);
        var watch = ServerWatch.Start(serverPid, Environment.ProcessId);
        await LoadRunner.RunAsync(warmup, 32, i => HttpBench.PostAsync(client, uri, bodies[i])).ConfigureAwait(false);
        var self0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sample = await LoadRunner.RunAsync(count, 32, i => HttpBench.PostAsync(client, uri, bodies[warmup + i])).ConfigureAwait(false);
        var self = Process.GetCurrentProcess().TotalProcessorTime - self0;
        watch.Stop();
        var result = new LevelRun
        {
            Level = "sign c=32",
            Client = ".NET HttpClient",
            Requests = sample.Requests,
            Errors = sample.Errors,
            FirstError = sample.FirstError,
            Rps = sample.RequestsPerSecond,
            P50Ms = sample.P50Ms,
            P99Ms = sample.P99Ms,
            MaxMs = sample.MaxMs,
            ClientCpuMsPerRequest = self.TotalMilliseconds / sample.Requests,
        };
        watch.Apply(result, warmup + count);
        Report(run, result, true);
    }

    private static void Report(ServerRun run, LevelRun result, bool record)
    {
        Console.WriteLine($"  {run.Server,-13} {result.Level,-11} {result.Client,-27} {result.Rps,8:F0} req/s  p50 {result.P50Ms,6:F2}  p99 {result.P99Ms,7:F2} ms  rss {result.PeakRssMiB,5:F0} MiB  cpu {result.ServerCpuMsPerRequest:F3} ms/req  other {result.OtherPercent:F0} %  errors {result.Errors}{(result.FirstError is null ? "" : " (" + result.FirstError + ")")}");
        if (record)
        {
            run.Levels.Add(result);
        }
    }

    // Starts a client process and watches its CPU (from /proc while it runs), the server's CPU and peak RSS, and the machine.
    private static async Task<(string Stdout, string Stderr, ServerWatch Watch, int Exit)> RunWatchedAsync(ProcessStartInfo start, int serverPid)
    {
        ProcessMemory.ResetPeak(serverPid);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        var watch = ServerWatch.Start(serverPid, process.Id);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var poll = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            while (!poll.IsCancellationRequested)
            {
                watch.SampleClient();
                try
                {
                    await Task.Delay(50, poll.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        await process.WaitForExitAsync().ConfigureAwait(false);
        await poll.CancelAsync().ConfigureAwait(false);
        await poller.ConfigureAwait(false);
        watch.Stop();
        return (await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), watch, process.ExitCode);
    }

    private static async Task WaitUntilReadyAsync(HostProcess server, string baseUri, X509Certificate2 root)
    {
        using var client = HttpBench.CreateClient(root, 1);
        client.Timeout = TimeSpan.FromSeconds(2);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the server exited at startup:\n{server.LogTail()}");
            }
            try
            {
                using var response = await client.GetAsync(new Uri(baseUri + "/health")).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"the server did not answer /health within 60 s:\n{server.LogTail()}");
    }

    /// <summary>The hand-written profile section (from <c>--perf</c> runs), kept by every re-run of the page.</summary>
    public const string ProfileBegin = "<!-- sign-profile:begin (from bench --perf runs, see bench/profile; kept when bench.sh rewrites the page) -->";
    public const string ProfileEnd = "<!-- sign-profile:end -->";

    /// <summary>The ACME full-order section (scripts/bench-acme.sh), kept by every re-run of the page.</summary>
    public const string AcmeBegin = "<!-- acme:begin (written by scripts/bench-acme.sh) -->";
    public const string AcmeEnd = "<!-- acme:end -->";

    /// <summary>
    /// A full run of bench.sh renders the page anew: the side-by-side, profile and ACME sections of the
    /// previous page are carried over (they come from other runs), right after the opening paragraph.
    /// </summary>
    internal static string KeepSections(string oldPage, string newPage)
    {
        foreach (var (begin, end) in new[] { (ProfileBegin, ProfileEnd), (Begin, End), (AcmeBegin, AcmeEnd) })
        {
            var b = oldPage.IndexOf(begin, StringComparison.Ordinal);
            var e = oldPage.IndexOf(end, StringComparison.Ordinal);
            if (b >= 0 && e > b && !newPage.Contains(begin, StringComparison.Ordinal))
            {
                newPage = Splice(newPage, oldPage[(b + begin.Length)..e].Trim('\n'), begin, end);
            }
        }
        return newPage;
    }

    internal static string Splice(string page, string section) => Splice(page, section, Begin, End);

    private static string Splice(string page, string section, string begin, string end)
    {
        var block = begin + "\n" + section.TrimEnd() + "\n" + end + "\n";
        var at = page.IndexOf(begin, StringComparison.Ordinal);
        var to = page.IndexOf(end, StringComparison.Ordinal);
        if (at >= 0 && to > at)
        {
            return page[..at] + block + "\n" + page[(to + end.Length)..].TrimStart('\n');
        }
        // First time: right after the page's title and opening paragraph.
        var firstSection = new[] { page.IndexOf("\n## ", StringComparison.Ordinal), page.IndexOf("\n<!-- ", StringComparison.Ordinal) }.Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        return firstSection < 0 ? page.TrimEnd() + "\n\n" + block : page[..(firstSection + 1)] + block + "\n" + page[(firstSection + 1)..];
    }

    private static string Render(List<ServerRun> runs, MachineInfo machine, DateTimeOffset started, TimeSpan took, Plan plan, bool haveWrk)
    {
        var s = new StringBuilder();
        void L(FormattableString text) => s.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
        L($"## Side by side with step-ca 0.19 (`scripts/bench.sh --against step-ca`)");
        L($"");
        L($"Run {started:yyyy-MM-dd HH:mm} UTC, {took.TotalSeconds:F0} s, source {machine.Source}; {machine.Processors} × {machine.CpuModel}, {machine.MemoryTotal}, kernel {machine.Kernel}, {machine.Runtime}. Load average when the run started: {machine.LoadAverage}.");
        L($"");
        L($"Our host (Release, `dotnet Smallstep.Pki.Host.dll`, SQLite `synchronous=FULL`) and step-ca 0.19.0 (built from Debian's sources by `shared/tools/step-ca-0.19/build.sh`, Badger v2) run **alternately**, {plan.Rounds} round(s) of ours then step-ca, each on a fresh copy of `shared/fixtures/step-ca-0.19/pki` (same root, intermediate and JWK provisioner `{Provisioner}`) with a new database, on 127.0.0.1, with one text log line per request written to a file. Every server run gets the same sequence: {plan.ProcessWarmup:N0} untimed signs at 8 callers (process warm-up), then sign at 32 callers ({plan.Sign32:N0} timed after 320 untimed) and at 1 caller ({plan.Sign1:N0} after 50) with the Go client, mTLS renew at 32 callers ({plan.Renew32:N0} after 320, one client certificate) with the Go client, sign at 32 callers with the .NET client ({plan.Sign32:N0} after 320), and sign at 32 callers with wrk ({plan.WrkSeconds} s). Each sign request carries its own new P-256 CSR and one-time JWK token (ES256, `sha` = root fingerprint), minted after the server started and before the level started. The clients run on the same 2 cores as the server.");
        L($"");
        L($"- **Go net/http**: `bench/goclient` (ours, standard library only): one keep-alive HTTP/1.1 connection per caller, server chain checked against the root, the same body file as wrk.");
        L($"- **.NET HttpClient**: `SocketsHttpHandler`, one connection per caller (the client of the tables below this section).");
        L($"- **wrk**: Debian's wrk 4, `-t2 -c32`, `bench/wrk/sign.lua` sending one pre-made body per request; its latency percentiles are wrk's own.");
        L($"");
        L($"*CPU ms/req* is the server process's user+system time over the whole client run (its untimed warm-up included) divided by the requests sent; *client* is the load generator's. *Other load* is the share of the 2 cores that neither the server nor the client used (other sessions' builds, the orchestrating process minting tokens is idle meanwhile). Peak RSS is the server's `VmHWM`, reset before each level.");
        L($"");
        string Ratio(double ours, double theirs) => theirs > 0 && !double.IsNaN(ours) ? (ours / theirs).ToString("F2", CultureInfo.InvariantCulture) + "×" : "–";
        var targets = new (string Level, string Client, string Measure, Func<LevelRun, double> Value, double Target, bool Higher)[]
        {
            ("sign c=32", "Go net/http", "req/s", l => l.Rps, 3, true),
            ("sign c=32", "Go net/http", "p99 ms", l => l.P99Ms, 0.5, false),
            ("sign c=32", "wrk (Lua, pre-made bodies)", "req/s", l => l.Rps, 3, true),
            ("sign c=32", "wrk (Lua, pre-made bodies)", "p99 ms", l => l.P99Ms, 0.5, false),
            ("sign c=32", ".NET HttpClient", "req/s", l => l.Rps, 3, true),
            ("sign c=32", ".NET HttpClient", "p99 ms", l => l.P99Ms, 0.5, false),
            ("sign c=1", "Go net/http", "req/s", l => l.Rps, 3, true),
            ("renew c=32", "Go net/http", "req/s", l => l.Rps, 2, true),
            ("renew c=32", "Go net/http", "p99 ms", l => l.P99Ms, double.NaN, false),
        };
        L($"### Ratios against the targets (issue 9)");
        L($"");
        L($"Each cell is the mean over the rounds; *per round* gives each round's ratio (ours ÷ the step-ca run right after it).");
        L($"");
        L($"| measure | client | ours | step-ca 0.19 | ratio | per round | target | met |");
        L($"|---|---|---:|---:|---:|---|---:|:---:|");
        var ours = runs.Where(r => r.Server == "ours").ToList();
        var theirs = runs.Where(r => r.Server == StepCaLabel).ToList();
        var labels = runs.Select(r => r.Server).Distinct().Where(l => l != StepCaLabel && !l.StartsWith("ours with ", StringComparison.Ordinal)).ToList();
        foreach (var t in targets)
        {
            if (!haveWrk && t.Client.StartsWith("wrk", StringComparison.Ordinal))
            {
                continue;
            }
            var o = ours.Select(r => r.Find(t.Level, t.Client)).Where(l => l is not null).Select(l => t.Value(l!)).ToList();
            var th = theirs.Select(r => r.Find(t.Level, t.Client)).Where(l => l is not null).Select(l => t.Value(l!)).ToList();
            if (o.Count == 0 || th.Count == 0)
            {
                continue;
            }
            var ratio = o.Average() / th.Average();
            var per = string.Join(", ", o.Zip(th, (a, b) => Ratio(a, b)));
            var met = t.Higher ? ratio >= t.Target : ratio <= t.Target;
            var target = double.IsNaN(t.Target) ? "" : $"{(t.Higher ? "≥ " : "≤ ")}{t.Target.ToString("0.##", CultureInfo.InvariantCulture)}×";
            var mark = double.IsNaN(t.Target) ? "" : met ? "✅" : "❌";
            L($"| {t.Level} {t.Measure} | {t.Client} | {o.Average():F1} | {th.Average():F1} | {Ratio(o.Average(), th.Average())} | {per} | {target} | {mark} |");
        }
        if (ours.Count > 0 && theirs.Count > 0)
        {
            var o = ours.Select(r => r.PeakRssMiB).ToList();
            var th = theirs.Select(r => r.PeakRssMiB).ToList();
            var ratio = o.Average() / th.Average();
            L($"| peak RSS MiB (whole run) | all | {o.Average():F0} | {th.Average():F0} | {Ratio(o.Average(), th.Average())} | {string.Join(", ", o.Zip(th, (a, b) => Ratio(a, b)))} | ≤ 0.33× | {(ratio <= 1 / 3.0 ? "✅" : "❌")} |");
        }
        foreach (var variant in runs.Select(r => r.Server).Distinct().Where(l => l.StartsWith("ours with ", StringComparison.Ordinal)).ToList())
        {
            var v = runs.Where(r => r.Server == variant).ToList();
            if (theirs.Count == 0)
            {
                continue;
            }
            var ratio = v.Average(r => r.PeakRssMiB) / theirs.Average(r => r.PeakRssMiB);
            L($"| peak RSS MiB, {variant} | all | {v.Average(r => r.PeakRssMiB):F0} | {theirs.Average(r => r.PeakRssMiB):F0} | {Ratio(v.Average(r => r.PeakRssMiB), theirs.Average(r => r.PeakRssMiB))} | {string.Join(", ", v.Zip(theirs, (a, b) => Ratio(a.PeakRssMiB, b.PeakRssMiB)))} | ≤ 0.33× | {(ratio <= 1 / 3.0 ? "✅" : "❌")} |");
            var vs = v.Select(r => r.Find("sign c=32", "Go net/http")?.Rps ?? double.NaN).Average();
            var th = theirs.Select(r => r.Find("sign c=32", "Go net/http")?.Rps ?? double.NaN).Average();
            L($"| sign c=32 req/s, {variant} | Go net/http | {vs:F1} | {th:F1} | {Ratio(vs, th)} | | ≥ 3× | {(vs / th >= 3 ? "✅" : "❌")} |");
        }
        if (ours.Count > 0 && theirs.Count > 0)
        {
            var o = ours.Select(r => r.Find("sign c=32", "Go net/http")?.ServerCpuMsPerRequest ?? double.NaN).ToList();
            var th = theirs.Select(r => r.Find("sign c=32", "Go net/http")?.ServerCpuMsPerRequest ?? double.NaN).ToList();
            L($"| server CPU ms per sign, c=32 | Go net/http | {o.Average():F3} | {th.Average():F3} | {Ratio(o.Average(), th.Average())} | {string.Join(", ", o.Zip(th, (a, b) => Ratio(a, b)))} | | |");
        }
        L($"");
        if (labels.Count > 1)
        {
            L($"### Before and after each optimisation (same run)");
            L($"");
            L($"The hosts built from the commits named (each the commit before an optimisation), run in the same rounds right before ours, on the same PKI and with the same clients. Each row compares a host with the one before it; the last with the first. Req/s and p99 move with the other load on the machine; CPU ms per request is the steadier measure of the work saved.");
            L($"");
            L($"| from | to | level | client | req/s | → | change | p99 ms | → | CPU ms/req | → | change |");
            L($"|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            var pairs = labels.Zip(labels.Skip(1)).ToList();
            if (labels.Count > 2)
            {
                pairs.Add((labels[0], labels[^1]));
            }
            foreach (var (from, to) in pairs)
            {
                var b = runs.Where(r => r.Server == from).ToList();
                var a = runs.Where(r => r.Server == to).ToList();
                foreach (var l in a[0].Levels)
                {
                    var bl = b.Select(r => r.Find(l.Level, l.Client)).Where(x => x is not null).Select(x => x!).ToList();
                    var al = a.Select(r => r.Find(l.Level, l.Client)).Where(x => x is not null).Select(x => x!).ToList();
                    if (bl.Count == 0)
                    {
                        continue;
                    }
                    string Pct(double after, double bef) => (100 * (after / bef - 1)).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + " %";
                    L($"| {from} | {to} | {l.Level} | {l.Client} | {bl.Average(x => x.Rps):N0} | {al.Average(x => x.Rps):N0} | {Pct(al.Average(x => x.Rps), bl.Average(x => x.Rps))} | {bl.Average(x => x.P99Ms):F1} | {al.Average(x => x.P99Ms):F1} | {bl.Average(x => x.ServerCpuMsPerRequest):F3} | {al.Average(x => x.ServerCpuMsPerRequest):F3} | {Pct(al.Average(x => x.ServerCpuMsPerRequest), bl.Average(x => x.ServerCpuMsPerRequest))} |");
                }
            }
            L($"");
        }
        L($"### Every level of every run");
        L($"");
        L($"| round | server | level | client | requests | req/s | p50 ms | p99 ms | max ms | errors | server CPU ms/req | client CPU ms/req | peak RSS MiB | other load |");
        L($"|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var l in run.Levels)
            {
                L($"| {run.Round} | {run.Server} | {l.Level} | {l.Client} | {l.Requests:N0} | {l.Rps:N0} | {l.P50Ms:F2} | {l.P99Ms:F2} | {l.MaxMs:F1} | {l.Errors} | {l.ServerCpuMsPerRequest:F3} | {l.ClientCpuMsPerRequest:F3} | {l.PeakRssMiB:F0} | {l.OtherPercent:F0} % |");
            }
        }
        L($"");
        L($"| round | server | RSS after start MiB | peak RSS MiB | log lines | load average before | load average after |");
        L($"|---:|---|---:|---:|---:|---|---|");
        foreach (var run in runs)
        {
            L($"| {run.Round} | {run.Server} | {run.StartupRssMiB:F0} | {run.PeakRssMiB:F0} | {run.LogLines:N0} | {run.LoadBefore} | {run.LoadAfter} |");
        }
        var errors = runs.SelectMany(r => r.Levels.Where(l => l.Errors > 0).Select(l => $"{r.Server} round {r.Round} {l.Level} {l.Client}: {l.Errors} errors{(l.FirstError is null ? "" : $" (first: {l.FirstError})")}")).ToList();
        if (errors.Count > 0)
        {
            L($"");
            L($"Errors: {string.Join("; ", errors)}.");
        }
        return s.ToString();
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var sub in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }

    private static int CountLines(string path)
    {
        try
        {
            return File.ReadLines(path).Count();
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>One server's run: its levels in order.</summary>
    private sealed class ServerRun
    {
        public required string Server { get; init; }

        public int Round { get; init; }

        public string LoadBefore { get; init; } = "";

        public string LoadAfter { get; set; } = "";

        public double StartupRssMiB { get; set; }

        public int LogLines { get; set; }

        public List<LevelRun> Levels { get; } = [];

        public double PeakRssMiB => Levels.Count == 0 ? double.NaN : Levels.Max(l => l.PeakRssMiB);

        public LevelRun? Find(string level, string client) => Levels.FirstOrDefault(l => l.Level == level && l.Client == client);
    }

    private sealed class LevelRun
    {
        public required string Level { get; init; }

        public required string Client { get; init; }

        public int Requests { get; init; }

        public long Errors { get; init; }

        public string? FirstError { get; init; }

        public double Rps { get; init; }

        public double P50Ms { get; init; }

        public double P99Ms { get; init; }

        public double MaxMs { get; init; }

        public double ClientCpuMsPerRequest { get; init; }

        public double ServerCpuMsPerRequest { get; set; }

        public double PeakRssMiB { get; set; }

        public double OtherPercent { get; set; }
    }

    // Server CPU (from /proc through Process), the client's CPU (sampled while it runs: a process that
    // exited has no /proc entry), the machine's busy time (/proc/stat) and the server's peak RSS.
    private sealed class ServerWatch
    {
        private readonly int _serverPid;
        private readonly int _clientPid;
        private readonly TimeSpan _server0;
        private readonly TimeSpan _client0;
        private readonly (long Busy, long Total) _machine0;
        private readonly long _t0 = Stopwatch.GetTimestamp();
        private TimeSpan _clientLast;

        private ServerWatch(int serverPid, int clientPid)
        {
            _serverPid = serverPid;
            _clientPid = clientPid;
            _server0 = Cpu(serverPid);
            _client0 = Cpu(clientPid);
            _clientLast = _client0;
            _machine0 = Machine();
        }

        public TimeSpan ServerCpu { get; private set; }

        public TimeSpan ClientCpu => _clientLast - _client0;

        public double OtherPercent { get; private set; }

        public double PeakRssMiB { get; private set; }

        public static ServerWatch Start(int serverPid, int clientPid) => new(serverPid, clientPid);

        public void SampleClient()
        {
            var now = Cpu(_clientPid);
            if (now > _clientLast)
            {
                _clientLast = now;
            }
        }

        public void Stop()
        {
            SampleClient();
            ServerCpu = Cpu(_serverPid) - _server0;
            PeakRssMiB = ProcessMemory.PeakRssMiB(_serverPid);
            var machine = Machine();
            var total = machine.Total - _machine0.Total;
            var busy = total <= 0 ? 0 : (double)(machine.Busy - _machine0.Busy) / total;
            var elapsed = Stopwatch.GetElapsedTime(_t0).TotalSeconds;
            var ours = (ServerCpu + ClientCpu).TotalSeconds / (elapsed * Environment.ProcessorCount);
            OtherPercent = Math.Max(0, 100 * (busy - ours));
        }

        public void Apply(LevelRun level, int requestsSent)
        {
            level.ServerCpuMsPerRequest = ServerCpu.TotalMilliseconds / Math.Max(1, requestsSent);
            level.PeakRssMiB = PeakRssMiB;
            level.OtherPercent = OtherPercent;
        }

        private static TimeSpan Cpu(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                return TimeSpan.Zero;
            }
        }

        private static (long Busy, long Total) Machine()
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            var total = fields.Sum();
            return (total - fields[3] - fields[4], total);
        }
    }
}
