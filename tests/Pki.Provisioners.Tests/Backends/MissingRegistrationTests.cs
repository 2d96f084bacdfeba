using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Backends;

/// <summary>An embedding app that lacks a registration ca.json needs fails at start, naming the missing <c>Add…</c> call.</summary>
public sealed class MissingRegistrationTests
{
    private static async Task<string> StartFailureAsync(Action<PkiBuilder> register)
    {
        using var pki = new PkiCopy();
        await using var app = EmbeddedApp.Build(pki, register);
        var error = await FluentActions.Awaiting(() => app.StartAsync()).Should().ThrowAsync<CaConfigException>();
        return error.Which.Message;
    }

    [Test]
    public async Task Without_a_key_manager_the_start_names_AddSoftKms()
    {
        var message = await StartFailureAsync(b => b.AddSqliteStorage().AddMemoryStorageProvider().AddJwkProvisioners());

        message.Should().Contain("key: no key manager is registered for kms type \"softkms\": call AddSoftKms()");
    }

    [Test]
    public async Task Without_storage_the_start_names_AddSqliteStorage_for_the_fixtures_badger_db()
    {
        var message = await StartFailureAsync(b => b.AddSoftKms(o => o.PasswordProvider = _ => PkiCopy.Password).AddJwkProvisioners());

        message.Should().Contain("db.type: no storage provider is registered for db.type \"badgerv2\": call AddSqliteStorage()");
    }

    [Test]
    public async Task Without_a_provisioner_type_the_start_names_AddJwkProvisioners()
    {
        var message = await StartFailureAsync(b => b.AddSoftKms(o => o.PasswordProvider = _ => PkiCopy.Password).AddMemoryStorage());

        message.Should().Contain("authority.provisioners[0].type: no provisioner type \"JWK\" is registered: call AddJwkProvisioners() or AddStepProvisioners()");
    }

    [Test]
    public async Task Every_missing_registration_is_in_one_message()
    {
        var message = await StartFailureAsync(_ => { });

        message.Should().Contain("AddSoftKms()").And.Contain("AddSqliteStorage()").And.Contain("AddJwkProvisioners()");
    }
}
