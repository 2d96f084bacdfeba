using System.Text;
using System.Text.Json;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>Requests and assertions in the step-ca CA-API's shapes (http-api.md §2).</summary>
internal static class StepResponses
{
    /// <summary>errs/error.go's generic 401 sentence.</summary>
    public const string Unauthorized = "The request lacked necessary authorization to be completed. Please see the certificate authority logs for more info.";

    /// <summary>errs/error.go's generic 501 sentence.</summary>
    public const string NotImplemented = "The requested method is not implemented by the certificate authority. Please see the certificate authority logs for more info.";

    /// <summary>A 400 message as step-ca formats it.</summary>
    public static string BadRequest(string reason) => $"The request could not be completed: {reason}.";

    /// <summary>A 403 message as step-ca formats it.</summary>
    public static string Forbidden(string reason) => $"The request was forbidden by the certificate authority: {reason}.";

    /// <summary>POSTs a JSON body built from <paramref name="body"/>.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostRawAsync(path, JsonSerializer.Serialize(body));

    /// <summary>POSTs <paramref name="body"/> as is with <c>Content-Type: application/json</c>.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>The response is step's <c>{"status":N,"message":"..."}</c> body (Go's encoder: trailing newline), byte for byte when <paramref name="message"/> is given.</summary>
    public static async Task ShouldBeStepErrorAsync(this HttpResponseMessage response, int status, string? message = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(status, "body: {0}", body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        using var json = JsonDocument.Parse(body);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("status", "message");
        json.RootElement.GetProperty("status").GetInt32().Should().Be(status);
        if (message is not null)
        {
            body.Should().Be(JsonSerializer.Serialize(new { status, message }, GoJson) + "\n");
        }
    }

    /// <summary>Reads a 201 issuance response (sign, renew, rekey), failing with the body otherwise.</summary>
    public static async Task<IssuedResponse> ShouldBeIssuedAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(201, "body: {0}", body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        return IssuedResponse.Parse(body);
    }

    // Go's json.Encoder escapes only <, >, & and control characters (none occur in these messages), not ' or +.
    private static readonly JsonSerializerOptions GoJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
