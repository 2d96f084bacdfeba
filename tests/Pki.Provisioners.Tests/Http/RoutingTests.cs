using System.Net;

namespace Smallstep.Pki.Tests.Http;

/// <summary>Route table, /1.0 prefix, HEAD, and step-ca's 404/405 shapes.</summary>
public class RoutingTests : StepApiTestBase
{
    private static readonly (string Path, int Status)[] GetRoutes =
    [
        ("/health", 200), ("/version", 200), ("/root/" + FixturePki.RootFingerprint, 200), ("/roots", 201),
        ("/roots.pem", 200), ("/federation", 201), ("/intermediates", 201), ("/intermediates.pem", 200),
        ("/provisioners", 200), ("/provisioners/RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw/encrypted-key", 200),
    ];

    private static readonly string[] PostRoutes = ["/sign", "/renew", "/re-sign", "/rekey", "/revoke"];

    public static IEnumerable<TestCaseData> GetRouteCases() =>
        from prefix in new[] { "", "/1.0" }
        from route in GetRoutes
        select new TestCaseData(prefix + route.Path, route.Status).SetName($"GET and HEAD {prefix}{route.Path}");

    [TestCaseSource(nameof(GetRouteCases))]
    public async Task Get_routes_answer_under_both_prefixes_and_head_sends_headers_only(string path, int status)
    {
        var get = await RawHttp.SendAsync(Server.Address, "GET", path);
        var head = await RawHttp.SendAsync(Server.Address, "HEAD", path);

        get.Status.Should().Be(status);
        get.Body.Should().NotBeEmpty();
        head.Status.Should().Be(status);
        head.Header("Content-Type").Should().Be(get.Header("Content-Type"));
        head.Header("Content-Length").Should().Be(get.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task Head_delivers_no_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/1.0/roots");
        var response = await Client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(201);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task Post_routes_exist_under_both_prefixes()
    {
        foreach (var path in PostRoutes.SelectMany(p => new[] { p, "/1.0" + p }))
        {
            var response = await PostAsync(path, "{}");
            response.StatusCode.Should().NotBe(HttpStatusCode.NotFound, path).And.NotBe(HttpStatusCode.MethodNotAllowed, path);
        }
    }

    [TestCase("POST", "/roots", "GET, HEAD")]
    [TestCase("DELETE", "/1.0/health", "GET, HEAD")]
    [TestCase("GET", "/1.0/sign", "POST")]
    [TestCase("HEAD", "/renew", "POST")]
    public async Task A_wrong_method_is_a_bodyless_405(string method, string path, string allow)
    {
        var response = await RawHttp.SendAsync(Server.Address, method, path, method == "POST" ? [] : null);

        response.StatusLine.Should().Be("HTTP/1.1 405 Method Not Allowed");
        response.Header("Content-Type").Should().BeNull();
        if (method != "HEAD")
        {
            response.Header("Content-Length").Should().Be("0");
        }
        response.Header("Allow").Should().Be(allow);
    }

    [TestCase("GET", "/no/such/route")]
    [TestCase("GET", "/1.0/acme/directory")]
    [TestCase("POST", "/2.0/sign")]
    [TestCase("GET", "/")]
    public async Task An_unknown_route_is_chis_plain_text_404(string method, string path)
    {
        var response = await RawHttp.SendAsync(Server.Address, method, path, method == "POST" ? [] : null);

        response.StatusLine.Should().Be("HTTP/1.1 404 Not Found");
        response.Header("Content-Type").Should().Be("text/plain; charset=utf-8");
        response.Header("X-Content-Type-Options").Should().Be("nosniff");
        System.Text.Encoding.ASCII.GetString(response.Body).Should().Be("404 page not found\n");
    }

    [Test]
    public async Task A_404_from_another_endpoint_is_left_alone()
    {
        var response = await RawHttp.SendAsync(Server.Address, "GET", StepApiServer.OtherNotFoundPath);

        response.Status.Should().Be(404);
        response.Header("Content-Type").Should().BeNull();
        response.Body.Should().BeEmpty();
    }
}
