using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Ssh.Config;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;
using Smallstep.Pki.Tests.Http;
using Smallstep.Pki.Tests.Jwk;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>
/// The bodies of <c>/ssh/config</c>, <c>/ssh/check-host</c>, <c>/ssh/hosts</c> and <c>/ssh/bastion</c>
/// on a minimal embedding app (Kestrel on 127.0.0.1, <c>MapStepApi</c>) over the real
/// <see cref="SshAuthority"/>, with host rows written in step-ca's encoding; and what the routes answer
/// when the app registers no SSH authority.
/// </summary>
[NonParallelizable]
public sealed class SshConfigurationEndpointTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly SshPublicKey HostKey = SshPublicKey.ParseAuthorizedKey(Fixtures.Text("pki", "certs", "ssh_host_ca_key.pub").Trim());
    private static readonly SshPublicKey UserKey = SshPublicKey.ParseAuthorizedKey(Fixtures.Text("pki", "certs", "ssh_user_ca_key.pub").Trim());

    [Test]
    public async Task Config_answers_step_cas_body_with_base64_content()
    {
        await using var app = await App.StartAsync(Authority(null));

        using var response = await app.Client.PostAsync("/1.0/ssh/config/ignored", Json("""{"type":"user","data":{"StepPath":"/s","GOOS":"linux","StepSSHTemplateVersion":"v2"}}"""));

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var knownHosts = Convert.ToBase64String(Encoding.UTF8.GetBytes($"@cert-authority * {HostKey.ToAuthorizedKey()}\n"));
        body.Should().StartWith("{\"userTemplates\":[{\"name\":\"config.tpl\",\"type\":\"snippet\",\"path\":\"~/.ssh/config\",\"comment\":\"#\",\"content\":\"")
            .And.EndWith($"{{\"name\":\"known_hosts.tpl\",\"type\":\"file\",\"path\":\"ssh/known_hosts\",\"comment\":\"#\",\"content\":\"{knownHosts}\"}}]}}\n");
    }

    [Test]
    public async Task A_templates_block_without_ssh_lists_renders_an_empty_object_and_a_directory_has_null_content()
    {
        var none = new TemplatesConfig();
        var directory = new TemplatesConfig { Ssh = new SshTemplatesConfig { Host = [new SshTemplateConfig { Name = "d", Type = "directory", Path = "/etc/ssh/step" }] } };
        await using var empty = await App.StartAsync(Authority(none));
        await using var dir = await App.StartAsync(Authority(directory));

        using var user = await empty.Client.PostAsync("/ssh/config", Json("""{"data":{"a":"b"}}"""));
        using var host = await dir.Client.PostAsync("/ssh/config", Json("""{"type":"host"}"""));

        (await user.Content.ReadAsStringAsync()).Should().Be("{}\n");
        (await host.Content.ReadAsStringAsync()).Should().Be("{\"hostTemplates\":[{\"name\":\"d\",\"type\":\"directory\",\"path\":\"/etc/ssh/step\",\"comment\":\"\",\"content\":null}]}\n");
    }

    [Test]
    public async Task Hosts_and_check_host_read_rows_as_step_ca_writes_them()
    {
        var authority = Authority(null);
        await using var app = await App.StartAsync(authority);
        var expiry = Now.AddHours(1).ToUnixTimeSeconds();
        await app.Store.SetAsync(StepTables.SshHosts, "db.internal"u8.ToArray(), "42"u8.ToArray());
        await app.Store.SetAsync(StepTables.SshHostPrincipals, "db.internal"u8.ToArray(), Encoding.UTF8.GetBytes($"{{\"Serial\":\"42\",\"Expiry\":{expiry}}}"));
        await app.Store.SetAsync(StepTables.SshHostPrincipals, "old.internal"u8.ToArray(), Encoding.UTF8.GetBytes($"{{\"serial\":\"7\",\"expiry\":{Now.AddHours(-1).ToUnixTimeSeconds()}}}"));
        await app.Store.SetAsync(StepTables.SshHostPrincipals, "broken"u8.ToArray(), "not json"u8.ToArray());

        using var hosts = await app.Client.GetAsync("/ssh/hosts");
        using var head = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/1.0/ssh/get-hosts"));
        using var known = await app.Client.PostAsync("/ssh/check-host", Json("""{"type":"host","principal":"DB.internal"}"""));
        using var unknown = await app.Client.PostAsync("/ssh/check-host", Json("""{"type":"host","principal":"old.internal"}"""));

        (await hosts.Content.ReadAsStringAsync()).Should().Be("{\"hosts\":[{\"hid\":\"\",\"host_tags\":null,\"hostname\":\"db.internal\"}]}\n");
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await known.Content.ReadAsStringAsync()).Should().Be("{\"exists\":true}\n");
        (await unknown.Content.ReadAsStringAsync()).Should().Be("{\"exists\":false}\n", "check-host reads ssh_hosts, as step-ca's IsSSHHost");
    }

    [Test]
    public async Task Without_an_ssh_configuration_authority_the_routes_answer_404_or_501()
    {
        await using var app = await App.StartAsync(null);

        using var config = await app.Client.PostAsync("/ssh/config", Json("{}"));
        using var check = await app.Client.PostAsync("/ssh/check-host", Json("""{"type":"host","principal":"h"}"""));
        using var hosts = await app.Client.GetAsync("/ssh/hosts");
        using var bastion = await app.Client.PostAsync("/ssh/bastion", Json("""{"hostname":"h"}"""));

        ((int)config.StatusCode, (int)check.StatusCode, (int)hosts.StatusCode, (int)bastion.StatusCode).Should().Be((404, 501, 501, 404));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static Func<IKeyValueStore, SshAuthority> Authority(TemplatesConfig? templates) => store =>
    {
        var keys = new SshTemplateKeys(HostKey, UserKey, [], []);
        // Any key makes the authority enabled; these tests sign nothing.
        var signer = Smallstep.Pki.Kms.Soft.SoftPrivateKey.Generate(Smallstep.Pki.Keys.KeyAlgorithm.EcdsaP256).Signer;
        return new SshAuthority(
            new SshAuthorityOptions
            {
                UserSigner = signer,
                Audiences = new Audiences(["127.0.0.1"]),
                Roots = new SshKeySet([UserKey], [HostKey]),
                Configuration = new SshConfigurationOptions
                {
                    HasSshBlock = true,
                    Templates = SshConfigTemplates.Load(templates, p => p, keys),
                    Hosts = new KeyValueSshCertificateStore(store),
                },
            },
            new FixtureProvisionerCatalog(), new KeyValueSshCertificateStore(store), new ManualClock(Now), NullLogger<SshAuthority>.Instance);
    };

    private sealed class App : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private App(WebApplication app, MemoryKeyValueStore store)
        {
            _app = app;
            Store = store;
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Client = new HttpClient { BaseAddress = new Uri(address) };
        }

        public MemoryKeyValueStore Store { get; }

        public HttpClient Client { get; }

        public static async Task<App> StartAsync(Func<IKeyValueStore, SshAuthority>? authority)
        {
            var store = new MemoryKeyValueStore(StepTables.Authority);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Services.AddSingleton<ICertificateAuthority>(new FakeCertificateAuthority());
            builder.Services.AddSingleton<IProvisionerCatalog>(new FixtureProvisionerCatalog());
            builder.Services.AddSingleton<TimeProvider>(new ManualClock(Now));
            if (authority is not null)
            {
                builder.Services.AddSingleton<ISshConfigurationAuthority>(authority(store));
            }
            var app = builder.Build();
            app.MapStepApi();
            await app.StartAsync();
            return new App(app, store);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
