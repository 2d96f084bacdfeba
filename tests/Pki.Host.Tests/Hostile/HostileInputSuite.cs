using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// Our hostile-input suite (<see cref="HostileCases"/>): each case is sent as raw bytes over TLS to
/// the real host serving a copy of the fixture PKI. Every one gets its expected 4xx (501 for a
/// feature not built) with step-ca's <c>{"status","message"}</c> body — or, for transport abuse
/// Kestrel refuses before any endpoint runs, the status with an empty body — never a 5xx; the
/// request is logged; nothing is written: no certificate, no burned token, no revocation.
/// </summary>
public class HostileInputSuite : ServedPkiTests
{
    private readonly ClientKey _key = new();
    private HostileContext _context = null!;

    [OneTimeSetUp]
    public void CreateContext() => _context = new HostileContext(Pki, _key);

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    public static IEnumerable<TestCaseData> Cases() => HostileCases.All().Select(c => new TestCaseData(c).SetArgDisplayNames(c.ToString()));

    [Test]
    public void The_suite_has_at_least_150_distinct_cases()
    {
        var cases = HostileCases.All().ToList();
        cases.Should().HaveCountGreaterThanOrEqualTo(150);
        cases.Select(c => c.ToString()).Should().OnlyHaveUniqueItems();
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Is_refused_cleanly(HostileCase hostile)
    {
        var before = Counts();
        var mark = Pki.Log.Mark();

        var response = await RawHttps.SendAsync(Pki.BaseAddress, Pki.Root, hostile.Request(_context));

        response.Closed.Should().BeFalse("the server answers rather than dropping the connection");
        response.Status.Should().Be(hostile.Status, "response: {0}", response);
        if (hostile.Message is not null)
        {
            response.Body.Should().Be(JsonSerializer.Serialize(new { status = hostile.Status, message = hostile.Message }, GoJson) + "\n");
        }
        if (!hostile.Transport || response.Body.Length > 0)
        {
            FramingTests.ShouldBeStepJson(response, hostile.Status);
        }
        var logged = await Pki.Log.WaitForLineAsync(mark, l => l.Contains($" {hostile.Status} in ", StringComparison.Ordinal)
            || l.Contains($"answered {hostile.Status}", StringComparison.Ordinal)
            || l.Contains("bad request data", StringComparison.OrdinalIgnoreCase));
        logged.Should().NotBeNull();
        Pki.Log.Lines.Skip(mark).Should().NotContain(l => l.Contains(" answered 5", StringComparison.Ordinal) && !l.Contains("answered 501", StringComparison.Ordinal),
            "a hostile request is never a server error");
        Counts().Should().Be(before, "a refused request writes nothing");
    }

    private (int Certificates, int UsedTokens, int Revocations) Counts() =>
        (Pki.CountRows("x509_certs"), Pki.CountRows("used_ott"), Pki.CountRows("revoked_x509_certs"));

    private static readonly JsonSerializerOptions GoJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
