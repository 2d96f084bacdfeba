using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.Query;

namespace Smallstep.Pki.Tests.Storage.Query;

/// <summary>Each filter of <see cref="CertificateQuery"/> alone and combined, on step-ca's rows.</summary>
public sealed partial class StepCaFixtureQueryTests
{
    private const string Cert3 = "175425806888218965621429660887917354022";
    private const string Revoked = "299857102448351568313853470918285571540";

    private async Task<List<string>> SerialsAsync(CertificateQuery query) => (await QueryAsync(query)).Select(c => c.Serial).ToList();

    [Test]
    public async Task An_empty_query_lists_X509_then_SSH_each_in_key_order()
    {
        var all = await QueryAsync(new CertificateQuery());

        all.Should().HaveCount(9);
        all.Take(7).Should().OnlyContain(c => c.Kind == CertificateKind.X509);
        all.Take(7).Select(c => c.Serial).Should().BeInAscendingOrder(StringComparer.Ordinal);
        all.Skip(7).Select(c => c.Serial).Should().Equal("10770761625476246594", "5832891044575303911");
    }

    [Test]
    public async Task Serial_filters_read_one_key_or_one_prefix_range()
    {
        (await SerialsAsync(new CertificateQuery { Serial = Cert3 })).Should().Equal(Cert3);
        (await SerialsAsync(new CertificateQuery { Serial = "12345" })).Should().BeEmpty();
        (await SerialsAsync(new CertificateQuery { SerialPrefix = "1" })).Should().Equal(
            "104793544769573043435971196015806843638", "160822757216438934599491949985189536135", "175425806888218965621429660887917354022", "10770761625476246594");
        (await SerialsAsync(new CertificateQuery { SerialPrefix = "29", Revoked = true })).Should().Equal(Revoked);
        (await SerialsAsync(new CertificateQuery { SerialPrefix = Revoked })).Should().Equal(new[] { Revoked }, "a prefix that is a whole key includes that key");
    }

    [Test]
    public async Task Text_matches_subject_SANs_key_IDs_and_principals_case_insensitively()
    {
        (await SerialsAsync(new CertificateQuery { Contains = "MYSQL-3.Fixture" })).Should().Equal(Cert3);
        (await SerialsAsync(new CertificateQuery { Contains = "localhost" })).Should().Equal("104793544769573043435971196015806843638");
        (await SerialsAsync(new CertificateQuery { Contains = "BOB" })).Should().Equal("10770761625476246594");
        (await SerialsAsync(new CertificateQuery { Contains = "mysql-host" })).Should().Equal("5832891044575303911");
    }

    [Test]
    public async Task Provisioner_matches_name_or_id_and_excludes_SSH()
    {
        (await SerialsAsync(new CertificateQuery { Provisioner = "acme" })).Should().Equal("104793544769573043435971196015806843638");
        (await SerialsAsync(new CertificateQuery { Provisioner = "fixture-admin" })).Should().HaveCount(6, "five signed and one renewed, found by its extension");
        (await SerialsAsync(new CertificateQuery { Provisioner = "fixture-admin:RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw" })).Should().HaveCount(5);
        (await SerialsAsync(new CertificateQuery { Provisioner = "Fixture-Admin" })).Should().BeEmpty();
    }

    [Test]
    public async Task Revocation_and_kind_filters()
    {
        (await SerialsAsync(new CertificateQuery { Revoked = true })).Should().Equal(Revoked);
        (await SerialsAsync(new CertificateQuery { Revoked = false })).Should().HaveCount(8).And.NotContain(Revoked);
        (await SerialsAsync(new CertificateQuery { Kind = CertificateKind.Ssh, Revoked = false })).Should().HaveCount(2);
    }

    [Test]
    public async Task Validity_windows_compare_instants_with_notAfter_inclusive()
    {
        var cert3NotAfter = DateTimeOffset.Parse("2026-11-23T13:34:05Z", System.Globalization.CultureInfo.InvariantCulture);
        (await SerialsAsync(new CertificateQuery { Kind = CertificateKind.X509, ExpiresBefore = cert3NotAfter })).Should().HaveCount(2, "cert-1 and cert-2 end a second or two earlier");
        (await SerialsAsync(new CertificateQuery { Kind = CertificateKind.X509, ExpiresAfter = cert3NotAfter.AddSeconds(1) })).Should().HaveCount(4);
        (await SerialsAsync(new CertificateQuery { Kind = CertificateKind.X509, ValidAt = cert3NotAfter.AddSeconds(1) })).Should().HaveCount(4);
        (await SerialsAsync(new CertificateQuery { Kind = CertificateKind.X509, IssuedAfter = DateTimeOffset.Parse("2026-11-22T13:33:30Z", System.Globalization.CultureInfo.InvariantCulture) }))
            .Should().Equal("104793544769573043435971196015806843638");
        (await SerialsAsync(new CertificateQuery { IssuedBefore = DateTimeOffset.Parse("2026-11-22T13:33:04Z", System.Globalization.CultureInfo.InvariantCulture) }))
            .Should().Equal("315778776084481289090839812949840449200");
        (await SerialsAsync(new CertificateQuery { Kind = CertificateKind.Ssh, ValidAt = DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture) }))
            .Should().Equal(new[] { "5832891044575303911" }, "the host certificate lasts 30 days, the user one 16 hours");
    }

    [Test]
    public async Task A_serial_filter_that_is_not_decimal_is_a_bad_request()
    {
        (await FluentActions.Awaiting(() => QueryAsync(new CertificateQuery { SerialPrefix = "0x1F" })).Should().ThrowAsync<PkiException>())
            .Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }
}
