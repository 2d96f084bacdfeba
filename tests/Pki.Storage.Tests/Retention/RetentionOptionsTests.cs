using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Storage.Retention;

namespace Smallstep.Pki.Tests.Storage.Retention;

/// <summary>ca.json's <c>db.retention</c> block, read through the real ca.json parser.</summary>
public sealed class RetentionOptionsTests
{
    private static DatabaseConfig Db(string retention) =>
        CaConfig.Parse($$$"""{"root":"r","crt":"c","key":"k","address":":443","dnsNames":["ca"],"db":{"type":"badgerv2","dataSource":"db"{{{retention}}}}}""").Db!;

    [Test]
    public void Without_the_block_there_is_no_schedule()
    {
        RetentionOptions.FromDatabaseConfig(Db("")).Should().BeNull();
        RetentionOptions.FromDatabaseConfig(null).Should().BeNull();
    }

    [Test]
    public void Durations_are_Go_durations_and_missing_fields_take_the_defaults()
    {
        RetentionOptions.FromDatabaseConfig(Db(""","retention":{"schedule":"6h30m","keepExpiredFor":"2160h","batchSize":100}"""))
            .Should().Be(new RetentionOptions { Schedule = TimeSpan.FromHours(6.5), KeepExpiredFor = TimeSpan.FromDays(90), BatchSize = 100 });
        RetentionOptions.FromDatabaseConfig(Db(""","retention":{}"""))
            .Should().Be(new RetentionOptions { Schedule = TimeSpan.FromHours(24), KeepExpiredFor = TimeSpan.FromHours(720) });
    }

    [TestCase("\"daily\"", "db.retention must be an object*")]
    [TestCase("{\"schedule\":\"1d\"}", "db.retention.schedule must be a Go duration*")]
    [TestCase("{\"schedule\":\"30s\"}", "db.retention.schedule must be at least 1m0s")]
    [TestCase("{\"keepExpiredFor\":\"59m\"}", "db.retention.keepExpiredFor must be at least 1h0m0s")]
    [TestCase("{\"keepExpired\":\"720h\"}", "db.retention.keepExpired is not a known field*")]
    [TestCase("{\"batchSize\":0}", "db.retention.batchSize must be a number*")]
    public void Mistakes_name_the_field(string block, string message)
    {
        var error = FluentActions.Invoking(() => RetentionOptions.FromDatabaseConfig(Db(",\"retention\":" + block)))
            .Should().Throw<CaConfigException>().Which.Errors.Should().ContainSingle().Subject;
        $"{error.Field} {error.Message}".Should().Match(message);
    }
}
