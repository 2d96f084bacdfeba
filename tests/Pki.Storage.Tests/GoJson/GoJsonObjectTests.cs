using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.GoJson;

namespace Smallstep.Pki.Tests.Storage.GoJson;

[TestFixture]
public sealed class GoJsonObjectTests
{
    private static GoJsonObject Parse(string json) => GoJsonObject.Parse(Encoding.UTF8.GetBytes(json), "test row");

    [Test]
    public void Matches_keys_case_insensitively_last_duplicate_winning_like_Go()
    {
        var row = Parse("{\"serial\":\"1\",\"SERIAL\":\"2\",\"Unknown\":[1,2]}");
        row.String("Serial").Should().Be("2");
    }

    [Test]
    public void Missing_and_null_fields_are_Go_zero_values()
    {
        var row = Parse("{\"Reason\":null,\"Inner\":null}");
        row.String("Reason").Should().BeEmpty();
        row.String("Absent").Should().BeEmpty();
        row.Int32("ReasonCode").Should().Be(0);
        row.Boolean("MTLS").Should().BeFalse();
        row.Time("RevokedAt").Should().Be(DateTimeOffset.MinValue);
        row.Object("Inner").Should().BeNull();
    }

    [TestCase("")]
    [TestCase("[]")]
    [TestCase("\"text\"")]
    [TestCase("{\"a\":1")]
    [TestCase("{} {}")]
    [TestCase("{\"a\":1}x")]
    public void Rejects_what_is_not_one_JSON_object(string json) =>
        FluentActions.Invoking(() => Parse(json)).Should().Throw<PkiException>()
            .Which.Should().Match<PkiException>(e => e.Kind == PkiErrorKind.Internal && e.Message.Contains("test row"));

    [Test]
    public void Rejects_values_of_the_wrong_type()
    {
        var row = Parse("{\"S\":1,\"B\":\"true\",\"N\":1.5,\"Big\":4294967296,\"T\":\"yesterday\",\"O\":[]}");
        FluentActions.Invoking(() => row.String("S")).Should().Throw<PkiException>();
        FluentActions.Invoking(() => row.Boolean("B")).Should().Throw<PkiException>();
        FluentActions.Invoking(() => row.Int32("N")).Should().Throw<PkiException>();
        FluentActions.Invoking(() => row.Int32("Big")).Should().Throw<PkiException>();
        FluentActions.Invoking(() => row.Time("T")).Should().Throw<PkiException>();
        FluentActions.Invoking(() => row.Object("O")).Should().Throw<PkiException>();
    }

    [Test]
    public void Rejects_deeply_nested_input()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        FluentActions.Invoking(() => Parse(deep)).Should().Throw<PkiException>();
    }
}
