using System.Text.Json;

namespace Smallstep.Pki.Tests.Host.Parity;

/// <summary>One captured step-ca 0.19 exchange from <c>http/index.json</c>.</summary>
internal sealed record FixtureResponse(string Name, string Method, string PathAndQuery, int Status, string ContentType, byte[] Body, string? RequestBody)
{
    public static FixtureResponse Load(string name)
    {
        using var index = JsonDocument.Parse(Fixtures.Text("http", "index.json"));
        var entry = index.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var bodyFile = entry.GetProperty("body_file").GetString();
        var requestFile = entry.GetProperty("request_file").GetString();
        return new FixtureResponse(
            name,
            entry.GetProperty("method").GetString()!,
            entry.GetProperty("path").GetString()!,
            entry.GetProperty("status").GetInt32(),
            entry.GetProperty("content_type").GetString()!,
            bodyFile is null ? [] : Fixtures.Bytes("http", bodyFile),
            requestFile is null ? null : Fixtures.Text("http", requestFile));
    }

    /// <summary>Asserts status, Content-Type and body bytes equal the capture.</summary>
    public async Task ShouldMatchAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        ((int)response.StatusCode).Should().Be(Status, "{0} body: {1}", Name, System.Text.Encoding.UTF8.GetString(body));
        (response.Content.Headers.ContentType?.ToString() ?? "").Should().Be(ContentType, Name);
        System.Text.Encoding.UTF8.GetString(body).Should().Be(System.Text.Encoding.UTF8.GetString(Body), Name);
        body.Should().Equal(Body, Name);
    }
}
