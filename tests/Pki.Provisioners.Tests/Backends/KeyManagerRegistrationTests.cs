using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Backends;

/// <summary>A key manager registered from this assembly for a new URI scheme opens the CA keys at start and after a reload.</summary>
public sealed class KeyManagerRegistrationTests
{
    private static void UseTestKms(JsonObject json)
    {
        json["key"] = "testkms:intermediate_ca_key";
        json["ssh"]!["hostKey"] = "testkms:ssh_host_ca_key";
        json["ssh"]!["userKey"] = "testkms:ssh_user_ca_key";
    }

    [Test]
    public async Task A_testkms_key_manager_opens_the_intermediate_key_at_start_and_again_after_reload()
    {
        using var pki = new PkiCopy(UseTestKms);
        var kms = new TestKms(pki.StepPath, PkiCopy.Password);
        // No AddSoftKms(): if anything routed a key to softkms, the start or the reload would fail.
        await using var app = EmbeddedApp.Build(pki, b => b.AddKeyManager(kms.Registration).AddMemoryStorage().AddJwkProvisioners());

        await app.StartAsync();
        kms.Instances.Should().ContainSingle();
        var first = kms.Instances[0];
        first.Opened.Should().Contain("testkms:intermediate_ca_key").And.Contain("testkms:ssh_user_ca_key");
        var runtime = app.Services.GetRequiredService<AuthorityRuntime>();
        runtime.KeyManagers.Should().Equal(first);
        var before = await EmbeddedApp.SignAsync(app, pki, "before.test");
        before.StatusCode.Should().Be(HttpStatusCode.Created, await before.Content.ReadAsStringAsync());
        await EmbeddedApp.VerifiedLeafAsync(before, pki);

        await runtime.ReloadAsync(pki.Load(), new List<ConfigDiagnostic>());

        kms.Instances.Should().HaveCount(2, "a reload creates a fresh instance of the registered key manager");
        var second = kms.Instances[1];
        second.Opened.Should().Contain("testkms:intermediate_ca_key");
        runtime.KeyManagers.Should().Equal(second);
        first.Disposed.Task.IsCompleted.Should().BeTrue("no request was running on the previous generation");
        second.Disposed.Task.IsCompleted.Should().BeFalse();
        var after = await EmbeddedApp.SignAsync(app, pki, "after.test");
        after.StatusCode.Should().Be(HttpStatusCode.Created, await after.Content.ReadAsStringAsync());
        await EmbeddedApp.VerifiedLeafAsync(after, pki);

        await app.StopAsync();
        await app.DisposeAsync();
        second.Disposed.Task.IsCompleted.Should().BeTrue("the container disposes the runtime, which disposes the current key managers");
    }

    [Test]
    public async Task A_request_running_on_the_previous_generation_keeps_its_key_manager_until_it_ends()
    {
        using var pki = new PkiCopy(UseTestKms);
        var kms = new TestKms(pki.StepPath, PkiCopy.Password);
        await using var app = EmbeddedApp.Build(pki, b => b.AddKeyManager(kms.Registration).AddMemoryStorage().AddJwkProvisioners());
        await app.StartAsync();
        var runtime = app.Services.GetRequiredService<AuthorityRuntime>();
        var first = kms.Instances[0];

        first.SignGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = EmbeddedApp.SignAsync(app, pki, "slow.test");
        await first.SignatureStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await runtime.ReloadAsync(pki.Load(), new List<ConfigDiagnostic>());

        first.Disposed.Task.IsCompleted.Should().BeFalse("a request is still signing with the previous generation's key");
        first.SignGate.SetResult();
        var response = await inFlight;
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        await EmbeddedApp.VerifiedLeafAsync(response, pki);
        await first.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        kms.Instances[1].Disposed.Task.IsCompleted.Should().BeFalse();
        await app.StopAsync();
    }
}
