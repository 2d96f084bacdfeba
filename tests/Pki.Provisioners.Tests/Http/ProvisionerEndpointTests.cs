using System.Text.Json;

namespace Smallstep.Pki.Tests.Http;

public class ProvisionerEndpointTests : StepApiTestBase
{
    [TestCase("", null, 20)]
    [TestCase("?limit=", null, 20)]
    [TestCase("?limit=0", null, 20)]
    [TestCase("?limit=-3", null, 20)]
    [TestCase("?limit=7", null, 7)]
    [TestCase("?limit=%2B7", null, 7)]
    [TestCase("?limit=100", null, 100)]
    [TestCase("?limit=101", null, 100)]
    [TestCase("?limit=9223372036854775807", null, 100)]
    [TestCase("?cursor=1c93e2d7735e86ef1a90b781c6db2fa1f&limit=1", "1c93e2d7735e86ef1a90b781c6db2fa1f", 1)]
    [TestCase("?cursor=", null, 20)]
    [TestCase("?limit=2&limit=abc", null, 2)]
    public async Task Cursor_and_limit_are_forwarded_with_step_cas_defaults(string query, string? cursor, int limit)
    {
        var response = await Client.GetAsync("/1.0/provisioners" + query);

        ((int)response.StatusCode).Should().Be(200);
        Server.Catalog.LastList.Should().Be((cursor, limit));
    }

    [TestCase("abc")]
    [TestCase("1.5")]
    [TestCase(" 5")]
    [TestCase("0x10")]
    [TestCase("9223372036854775808")]
    public async Task A_limit_that_is_not_a_go_integer_is_400(string limit)
    {
        var response = await Client.GetAsync("/provisioners?limit=" + Uri.EscapeDataString(limit));

        await ShouldBeStepError(response, 400, BadRequestMessage($"limit '{limit}' is not an integer"));
        Server.Catalog.LastList.Should().BeNull();
    }

    [Test]
    public async Task Paging_through_all_provisioners_visits_each_once()
    {
        var names = new List<string>();
        var cursor = "";
        do
        {
            using var page = JsonDocument.Parse(await Client.GetStringAsync($"/provisioners?limit=1&cursor={cursor}"));
            names.AddRange(page.RootElement.GetProperty("provisioners").EnumerateArray().Select(p => p.GetProperty("name").GetString()!));
            cursor = page.RootElement.GetProperty("nextCursor").GetString()!;
        }
        while (cursor.Length > 0);

        names.Should().Equal("fixture-admin", "acme", "sshpop");
    }

    [Test]
    public async Task Unknown_kid_is_a_generic_404_with_the_reason_logged()
    {
        await ShouldBeStepError(await Client.GetAsync("/provisioners/nope/encrypted-key"), 404, NotFoundMessage);

        Server.Logs.Entries.Should().Contain(e => e.EventId.Id == 3100 && e.Message == "GET /provisioners/nope/encrypted-key answered 404: encrypted key with kid nope was not found");
    }
}
