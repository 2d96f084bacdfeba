using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Tests.Http;

public class RevokeEndpointTests : StepApiTestBase
{
    [TestCase("/revoke")]
    [TestCase("/1.0/revoke")]
    public async Task A_token_revocation_is_forwarded_and_answers_ok(string path)
    {
        var response = await PostAsync(path, """{"serial":"0x1f","ott":"token","reasonCode":4,"reason":"superseded","passive":true}""");

        ((int)response.StatusCode).Should().Be(200);
        response.Content.Headers.ContentType!.ToString().Should().Be("application/json");
        (await response.Content.ReadAsStringAsync()).Should().Be("{\"status\":\"ok\"}\n");
        var revoke = Server.Authority.LastRevoke!;
        revoke.Serial.Should().Be("0x1f");
        revoke.Token.Should().Be("token");
        revoke.ReasonCode.Should().Be(4);
        revoke.Reason.Should().Be("superseded");
        revoke.Passive.Should().BeTrue();
        revoke.ClientCertificate.Should().BeNull();
    }

    [TestCase(0)]
    [TestCase(10)]
    public async Task Reason_codes_at_the_bounds_are_accepted(int reasonCode)
    {
        var response = await PostAsync("/revoke", $$"""{"serial":"1","ott":"t","reasonCode":{{reasonCode}},"passive":true}""");

        ((int)response.StatusCode).Should().Be(200);
        Server.Authority.LastRevoke!.ReasonCode.Should().Be(reasonCode);
    }

    [TestCase("""{"ott":"t","passive":true}""", "missing serial")]
    [TestCase("""{"serial":"1","ott":"t","reasonCode":11,"passive":true}""", "reasonCode out of bounds")]
    [TestCase("""{"serial":"1","ott":"t","reasonCode":-1,"passive":true}""", "reasonCode out of bounds")]
    [TestCase("""{"serial":"1","reasonCode":1,"passive":true}""", "missing ott or client certificate")]
    [TestCase("""{"serial":"1","reasonCode":1.5,"passive":true}""", "error decoding json")]
    [TestCase("""{"serial":"1","reasonCode":99999999999999999999,"passive":true}""", "error decoding json")]
    [TestCase("""{"serial":1,"passive":true}""", "error decoding json")]
    [TestCase("""{"serial":"1","passive":"true"}""", "error decoding json")]
    public async Task Invalid_requests_are_400_in_step_cas_order(string body, string reason)
    {
        await ShouldBeStepError(await PostAsync("/1.0/revoke", body), 400, BadRequestMessage(reason));
        Server.Authority.LastRevoke.Should().BeNull();
    }

    [TestCase("""{"serial":"1","ott":"t","passive":false}""")]
    [TestCase("""{"serial":"1","ott":"t"}""")]
    public async Task Active_revocation_is_not_implemented(string body)
    {
        await ShouldBeStepError(await PostAsync("/1.0/revoke", body), 501, NotImplementedMessage);
        Server.Authority.LastRevoke.Should().BeNull();
    }

    [Test]
    public async Task A_refusal_by_the_authority_keeps_its_kind()
    {
        Server.Authority.Failure = PkiException.Forbidden("token subject 2 does not match serial 1");

        var response = await PostAsync("/1.0/revoke", """{"serial":"1","ott":"t","passive":true}""");

        await ShouldBeStepError(response, 403, "The request was forbidden by the certificate authority: token subject 2 does not match serial 1.");
    }
}
