using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.Migration;

namespace Smallstep.Pki.Tests.Storage.Migration;

/// <summary>Database addresses on the command line, and that printing one never prints its password.</summary>
public sealed class StorageAddressTests
{
    [TestCase("sqlite:/var/lib/pki/ca.sqlite", "sqlite", "/var/lib/pki/ca.sqlite")]
    [TestCase("sqlite:relative.db", "sqlite", "relative.db")]
    [TestCase("postgresql://u:p@db:5432/pki?sslmode=disable", "postgresql", "postgresql://u:p@db:5432/pki?sslmode=disable")]
    [TestCase("postgres://u@db/pki", "postgresql", "postgres://u@db/pki")]
    [TestCase("mysql://u:p@tcp(db:3306)/pki", "mysql", "u:p@tcp(db:3306)/pki")]
    public void The_forms_map_to_ca_json_type_and_dataSource(string text, string type, string dataSource)
    {
        StorageAddress.IsAddress(text).Should().BeTrue();
        var address = StorageAddress.Parse(text);
        (address.Type, address.DataSource).Should().Be((type, dataSource));
    }

    [TestCase("/etc/step/config/ca.json")]
    [TestCase("badger:/var/db")]
    [TestCase("u:hunter2@tcp(db:3306)/pki")]
    public void Anything_else_is_not_an_address_and_the_error_does_not_repeat_it(string text)
    {
        StorageAddress.IsAddress(text).Should().BeFalse();
        FluentActions.Invoking(() => StorageAddress.Parse(text)).Should().Throw<PkiException>()
            .Where(e => e.Kind == PkiErrorKind.BadRequest && !e.Message.Contains("hunter2"));
    }

    [TestCase("postgresql://pki:hunter2@127.0.0.1:5432/pki?sslmode=disable", "postgresql://pki:***@127.0.0.1:5432/pki?sslmode=disable")]
    [TestCase("postgresql://pki:hun@ter2@db/pki", "postgresql://pki:***@db/pki")]
    [TestCase("postgresql://db/pki?user=pki&password=hunter2&sslpassword=hunter2", "postgresql://db/pki?user=pki&password=***&sslpassword=***")]
    [TestCase("mysql://pki:hunter2@tcp(127.0.0.1:3306)/pki", "mysql://pki:***@tcp(127.0.0.1:3306)/pki")]
    [TestCase("mysql://pki:hu@nter2@unix(/run/mysqld/mysqld.sock)/pki", "mysql://pki:***@unix(/run/mysqld/mysqld.sock)/pki")]
    [TestCase("postgresql://pki@db/pki", "postgresql://pki@db/pki")]
    public void Printing_an_address_hides_the_password(string text, string printed)
    {
        StorageAddress.Parse(text).ToString().Should().Be(printed).And.NotContain("hunter2");
    }

    [TestCase("host=db user=pki password=hunter2 dbname=pki", "host=db user=pki password=*** dbname=pki")]
    [TestCase("host=db password='hun ter2' dbname=pki", "host=db password=*** dbname=pki")]
    [TestCase("pki:hunter2@tcp(db:3306)/pki?tls=true", "pki:***@tcp(db:3306)/pki?tls=true")]
    public void Redaction_also_covers_libpq_keywords_and_bare_go_sql_driver_DSNs(string text, string printed)
    {
        DataSourceNameRedaction.Redact(text).Should().Be(printed);
    }

    [Test]
    public void A_missing_SQLite_source_is_an_error_not_a_new_empty_database()
    {
        using var directory = new TempDirectory();
        var path = directory.File("missing.sqlite");

        FluentActions.Invoking(() => StorageAddress.Parse("sqlite:" + path).Open(mustExist: true, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
            .Should().Throw<PkiException>().WithMessage("*no such SQLite file*");
        File.Exists(path).Should().BeFalse();
    }
}
