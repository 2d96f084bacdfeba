using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Tests.Go;

[TestFixture]
public sealed class GoJsonObjectTests
{
    // The error policy of stored rows (Pki.Storage StoredRowJson): an internal error naming the row.
    private static readonly GoJsonError StoredRow = (member, expected, inner) =>
        PkiException.Internal($"stored test row is malformed: {member} is not {expected}", inner);

    private static GoJsonObject Parse(string json) => GoJsonObject.Unmarshal(Encoding.UTF8.GetBytes(json), 16, StoredRow);

    [Test]
    public void Matches_keys_case_insensitively_last_duplicate_winning_like_Go()
    {
        var row = Parse("{\"serial\":\"1\",\"SERIAL\":\"2\",\"Unknown\":[1,2]}");
        row.String("Serial").Should().Be("2");
    }

    [Test]
    public void A_later_null_duplicate_leaves_the_field_as_Go_does()
    {
        var row = Parse("{\"serial\":\"1\",\"SERIAL\":null}");
        row.String("Serial").Should().Be("1");
    }

    [Test]
    public void Missing_and_null_fields_are_Go_zero_values()
    {
        var row = Parse("{\"Reason\":null,\"Inner\":null}");
        row.String("Reason").Should().BeNull();
        row.String("Absent").Should().BeNull();
        row.Int32("ReasonCode").Should().Be(0);
        row.Boolean("MTLS").Should().BeFalse();
        row.Time("RevokedAt").Should().BeNull();
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
