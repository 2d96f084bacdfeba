using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smallstep.Pki.Bench.Fixture;
using Smallstep.Pki.Bench.Measure;
using Smallstep.Pki.Bench.Report;

namespace Smallstep.Pki.Bench.Modes;

/// <summary>
/// <c>POST /1.0/sign</c> against the real host over HTTPS/1.1 with keep-alive: one connection per
/// caller (<c>MaxConnectionsPerServer</c> = concurrency), TLS handshakes done in the warm-up, the
/// server certificate checked against the CA root. The host's peak RSS is read from /proc.
/// </summary>
internal static class HttpBench
{
    public static async Task<ModeResult> RunAsync(BenchPki pki, string hostDll, HttpVariant variant, LoadLevel warmup, IReadOnlyList<LoadLevel> levels)
    {
        try
        {
            return await MeasureAsync(pki, hostDll, variant, warmup, levels).ConfigureAwait(false);
        }
        finally
        {
            await variant.Storage.DropAsync(pki.StepPath, variant.Key).ConfigureAwait(false);
        }
    }

    private static async Task<ModeResult> MeasureAsync(BenchPki pki, string hostDll, HttpVariant variant, LoadLevel warmup, IReadOnlyList<LoadLevel> levels)
    {
        var port = BenchPki.FreePort();
        var config = pki.WriteVariant(variant.Key, $"127.0.0.1:{port}", variant.Storage);
        var baseUri = new Uri($"https://127.0.0.1:{port}");
        var log = Path.Combine(pki.StepPath, $"host-{variant.Key}.log");
        await using var host = HostProcess.Start(hostDll, config, pki.PasswordFile, log, variant.Environment);
        using var root = pki.LoadRoot();
        await WaitUntilReadyAsync(host, baseUri, root).ConfigureAwait(false);

        var signer = pki.CreateTokenSigner();
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(root.RawData));
        var audience = new Uri(baseUri, "/1.0/sign").ToString();
        var result = new ModeResult(variant.Name, variant.Description) { StartupRssMiB = ProcessMemory.CurrentRssMiB(host.Pid), RssIsCaOnly = true };
        var uri = new Uri(baseUri, "/1.0/sign");
        using (var client = CreateClient(root, warmup.Concurrency))
        {
            var warmInputs = SignInputs.Prepare(signer, audience, fingerprint, $"{variant.Key}-warm", warmup.Requests);
            await CheckOneAsync(client, uri, warmInputs.JsonBody(0)).ConfigureAwait(false);
            await LoadRunner.RunAsync(warmup.Requests - 1, warmup.Concurrency, i => PostAsync(client, uri, warmInputs.JsonBody(1 + i))).ConfigureAwait(false);
        }
        foreach (var level in levels)
        {
            var measured = await InterferenceRetry.RunAsync(level.Concurrency, async () =>
            {
                var inputs = SignInputs.Prepare(signer, audience, fingerprint, $"{variant.Key}-c{level.Concurrency}-{Guid.NewGuid().ToString("N")[..8]}", level.Warmup + level.Requests);
                var bodies = Enumerable.Range(0, inputs.Count).Select(inputs.JsonBody).ToArray();
                using var client = CreateClient(root, level.Concurrency);
                await CheckOneAsync(client, uri, bodies[0]).ConfigureAwait(false);
                var warm = await LoadRunner.RunAsync(level.Warmup - 1, level.Concurrency, i => PostAsync(client, uri, bodies[1 + i])).ConfigureAwait(false);
                ProcessMemory.ResetPeak(host.Pid);
                var cpu = CpuWatch.Start(host.Pid, Environment.ProcessId, variant.Storage.ServerProcesses);
                var sample = await LoadRunner.RunAsync(level.Requests, level.Concurrency, i => PostAsync(client, uri, bodies[level.Warmup + i])).ConfigureAwait(false);
                var run = LevelResult.From(level.Concurrency, sample, ProcessMemory.PeakRssMiB(host.Pid), warm.Errors, cpu.Stop(TimeSpan.FromSeconds(sample.Seconds)));
                Console.WriteLine($"  {variant.Name,-28} c={level.Concurrency,-3} {run}");
                if (host.HasExited)
                {
                    throw new InvalidOperationException($"the host exited during the run:\n{host.LogTail()}");
                }
                return run;
            }).ConfigureAwait(false);
            result.Levels.Add(measured);
        }
        result.ProcessPeakRssMiB = result.Levels.Max(l => l.PeakRssMiB);
        result.Notes.Add($"Host log lines written: {CountLines(log)}.");
        return result;
    }

    internal static HttpClient CreateClient(X509Certificate2 root, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { root },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        return new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    internal static async ValueTask<bool> PostAsync(HttpClient client, Uri uri, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(uri, content).ConfigureAwait(false);
        // Read the whole body: a client needs the certificate, and the server's write must finish.
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.Created && bytes.Length > 0;
    }

    // One request checked in full, so a run of fast errors is never reported as throughput.
    private static async Task CheckOneAsync(HttpClient client, Uri uri, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(uri, content).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /1.0/sign answered {(int)response.StatusCode}: {text}");
        }
        using var json = JsonDocument.Parse(text);
        var crt = json.RootElement.GetProperty("crt").GetString() ?? "";
        using var leaf = X509Certificate2.CreateFromPem(crt);
        if (!leaf.Subject.Contains(".bench.internal", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"unexpected leaf subject {leaf.Subject}");
        }
    }

    private static async Task WaitUntilReadyAsync(HostProcess host, Uri baseUri, X509Certificate2 root)
    {
        using var client = CreateClient(root, 1);
        client.Timeout = TimeSpan.FromSeconds(2);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (host.HasExited)
            {
                throw new InvalidOperationException($"the host exited at startup:\n{host.LogTail()}");
            }
            try
            {
                using var response = await client.GetAsync(new Uri(baseUri, "/health")).ConfigureAwait(false);
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
        throw new TimeoutException($"the host did not answer /health within 30 s:\n{host.LogTail()}");
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
}

/// <summary>How the host is configured for one HTTP run.</summary>
internal sealed record HttpVariant(string Key, string Name, string Description, BenchStorage Storage, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The host as <c>init</c> configures it: SQLite, text request log on stdout (here a file).</summary>
    public static HttpVariant Default { get; } = new("http", ResultNames.HttpDefault, "the host as init configures it: SQLite db, one text log line per request (stdout to a file)", BenchStorage.Sqlite, new Dictionary<string, string>());

    /// <summary>Information logs suppressed through configuration (<c>Logging__LogLevel__Default</c>).</summary>
    public static HttpVariant NoRequestLog { get; } = new("http-nolog", ResultNames.HttpNoLog, "as the default host with Logging__LogLevel__Default=Warning (no request or issuance log lines)", BenchStorage.Sqlite,
        new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" });

    /// <summary>No <c>db</c> block: the host's in-memory store.</summary>
    public static HttpVariant Memory { get; } = new("http-memory", ResultNames.HttpMemory, "as the default host without a db block: MemoryKeyValueStore, which keeps every certificate and used token in memory, so its RSS grows with the run", BenchStorage.Memory, new Dictionary<string, string>());

    /// <summary>The default host with its <c>db</c> block on a PostgreSQL or MariaDB server.</summary>
    public static HttpVariant Server(string key, BenchStorage storage) =>
        new(key, ResultNames.Http(storage.Label), $"as the default host (request log on) with db.type {storage.DbType}: a new database on the {storage.Label} server on this machine", storage, new Dictionary<string, string>());
}
