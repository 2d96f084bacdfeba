using System.Net.Http.Headers;

namespace Smallstep.Pki.Tests.Http;

/// <summary>Renew and rekey without TLS client certificates: the bearer-token path and the refusals.</summary>
public class RenewEndpointTests : StepApiTestBase
{
    [TestCase("/renew")]
    [TestCase("/1.0/renew")]
    [TestCase("/re-sign")]
    [TestCase("/1.0/re-sign")]
    public async Task A_valid_renew_token_renews_its_certificate(string path)
    {
        var response = await SendWithAuthorizationAsync(path, "Bearer " + FakeRenewTokenAuthorizer.ValidToken);

        ((int)response.StatusCode).Should().Be(201);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Fixtures.Bytes("issued", "renew-response.json"));
        Server.Authority.LastRenewed!.RawData.Should().Equal(FixturePki.SignedLeaf().RawData);
    }

    [Test]
    public async Task A_rejected_renew_token_is_a_generic_401_with_the_reason_logged()
    {
        var response = await SendWithAuthorizationAsync("/1.0/renew", "Bearer forged");

        await ShouldBeStepError(response, 401, UnauthorizedMessage);
        Server.RenewTokens.LastToken.Should().Be("forged");
        Server.Authority.LastRenewed.Should().BeNull();
        Server.Logs.Entries.Should().Contain(e => e.EventId.Id == 3100 && e.Message.EndsWith("renew token signature does not verify", StringComparison.Ordinal));
    }

    [TestCase(null)]
    [TestCase("Basic dXNlcjpwYXNz")]
    [TestCase("bearer lower-case-scheme")]
    public async Task Without_certificate_or_bearer_token_renew_is_missing_client_certificate(string? authorization)
    {
        var response = await SendWithAuthorizationAsync("/1.0/renew", authorization);

        await ShouldBeStepError(response, 400, BadRequestMessage("missing client certificate"));
        Server.RenewTokens.LastToken.Should().BeNull();
    }

    [Test]
    public async Task Without_a_registered_token_authorizer_a_bearer_token_is_missing_client_certificate()
    {
        await using var server = await StepApiServer.StartAsync(renewTokens: false);
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/1.0/renew");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FakeRenewTokenAuthorizer.ValidToken);

        await ShouldBeStepError(await client.SendAsync(request), 400, BadRequestMessage("missing client certificate"));
        server.Authority.LastRenewed.Should().BeNull();
    }

    [Test]
    public async Task Rekey_needs_a_client_certificate_even_with_a_bearer_token()
    {
        var response = await SendWithAuthorizationAsync("/1.0/rekey", "Bearer " + FakeRenewTokenAuthorizer.ValidToken,
            System.Text.Json.JsonSerializer.Serialize(new { csr = FixturePki.CsrPem() }));

        await ShouldBeStepError(response, 400, BadRequestMessage("missing client certificate"));
        Server.Authority.LastRekey.Should().BeNull();
    }

    private async Task<HttpResponseMessage> SendWithAuthorizationAsync(string path, string? authorization, string body = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await Client.SendAsync(request);
    }
}
