using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioners.Acme;
using Smallstep.Pki.Provisioners.Acme.Challenges;
using Smallstep.Pki.Provisioners.Acme.Http;
using Smallstep.Pki.Startup;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Acme.Protocol;

/// <summary>
/// A minimal embedding app serving <c>MapAcme()</c> over real Kestrel on 127.0.0.1 (plain HTTP; the
/// server's URLs are https:// as step-ca's, and clients sign those): the step-ca 0.19 fixture PKI, an
/// in-memory store, and a scripted challenge validator standing in for the real ones.
/// </summary>
internal sealed class AcmeTestServer : IAsyncDisposable
{
    private readonly TemporaryDirectory _directory;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _settled = new();

    private AcmeTestServer(TemporaryDirectory directory, WebApplication app, ScriptedValidator validator)
    {
        _directory = directory;
        _app = app;
        Validator = validator;
        Runner = app.Services.GetRequiredService<AcmeChallengeRunner>();
        Runner.ChallengeSettled += (id, status) => Settled(id).TrySetResult(status);
        Host = new Uri(app.Urls.First()).Authority;
    }

    /// <summary>host:port, as the server puts it in its URLs.</summary>
    public string Host { get; }

    public ScriptedValidator Validator { get; }

    public AcmeChallengeRunner Runner { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The directory URL of a provisioner, as clients sign it.</summary>
    public string Directory(string provisioner = "acme") => $"https://{Host}/acme/{provisioner}/directory";

    public static async Task<AcmeTestServer> StartAsync(Action<JsonObject>? editConfig = null)
    {
        var directory = new TemporaryDirectory();
        var configPath = FixturePkiCopy.Write(directory.Path, json => editConfig?.Invoke(json));
        var loaded = new CaConfigLoader(new CaConfigLoaderOptions { WorkingDirectory = directory.Path, StepPath = directory.Path }).Load(configPath);
        var validator = new ScriptedValidator();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddPki()
            .AddSoftKms(o => o.PasswordProvider = _ => ServedPki.FixturePassword)
            .AddMemoryStorage()
            .AddAcmeStorage()
            .AddAcme(o => o.ValidationRetryDelay = TimeSpan.FromMilliseconds(10))
            .AddStepProvisioners()
            .FromCaJson(loaded);
        foreach (var type in new[] { "http-01", "dns-01", "tls-alpn-01" })
        {
            builder.Services.AddSingleton<IAcmeChallengeValidator>(validator.For(type));
        }
        var app = builder.Build();
        app.MapAcme();
        await app.Services.GetRequiredService<PkiStartup>().StartAsync(CancellationToken.None);
        await app.StartAsync();
        return new AcmeTestServer(directory, app, validator);
    }

    /// <summary>Completes when the runner settles the challenge (valid or invalid), with its status.</summary>
    public Task<string> SettledAsync(string challengeId) => Settled(challengeId).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public HttpClient CreateHttpClient() => new() { BaseAddress = new Uri($"http://{Host}"), Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }

    private TaskCompletionSource<string> Settled(string id) => _settled.GetOrAdd(id, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>A test double for the challenge validators: answers each attempt from a script (default valid), recording what it was asked.</summary>
internal sealed class ScriptedValidator
{
    private readonly ConcurrentQueue<AcmeChallengeOutcome> _script = new();

    public ConcurrentBag<AcmeChallengeAttempt> Attempts { get; } = [];

    /// <summary>Outcomes for the next attempts, in order; once used up every attempt is valid.</summary>
    public void Answer(params AcmeChallengeOutcome[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            _script.Enqueue(outcome);
        }
    }

    public IAcmeChallengeValidator For(string type) => new Typed(this, type);

    private sealed class Typed(ScriptedValidator owner, string type) : IAcmeChallengeValidator
    {
        public string Type => type;

        public ValueTask<AcmeChallengeOutcome> ValidateAsync(AcmeChallengeAttempt attempt, CancellationToken cancellationToken)
        {
            owner.Attempts.Add(attempt);
            return ValueTask.FromResult(owner._script.TryDequeue(out var outcome) ? outcome : AcmeChallengeOutcome.Valid);
        }
    }
}
