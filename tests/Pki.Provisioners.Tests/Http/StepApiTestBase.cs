using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Smallstep.Pki.Tests.Http;

/// <summary>Shares one <see cref="StepApiServer"/> per fixture class and resets its doubles before each test.</summary>
[NonParallelizable]
public abstract class StepApiTestBase
{
    internal StepApiServer Server { get; private set; } = null!;

    internal HttpClient Client { get; private set; } = null!;

    /// <summary>Whether the server listens with TLS and accepts client certificates.</summary>
    protected virtual bool Https => false;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        Server = await StepApiServer.StartAsync(Https);
        Client = Server.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    [SetUp]
    public void ResetServer() => Server.Reset();

    protected Task<HttpResponseMessage> PostAsync(string path, string body) =>
        PostAsync(Client, path, body);

    protected static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Asserts a step-ca error body with exactly this status and message.</summary>
    protected static async Task ShouldBeStepError(HttpResponseMessage response, int status, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(status, body);
        response.Content.Headers.ContentType.Should().Be(MediaTypeHeaderValue.Parse("application/json"));
        body.Should().Be(JsonSerializer.Serialize(new { status, message }, GoLikeJson) + "\n");
    }

    protected static string BadRequestMessage(string reason) => $"The request could not be completed: {reason}.";

    protected const string UnauthorizedMessage = "The request lacked necessary authorization to be completed. Please see the certificate authority logs for more info.";
    protected const string NotFoundMessage = "The requested resource could not be found. Please see the certificate authority logs for more info.";
    protected const string InternalMessage = "The certificate authority encountered an Internal Server Error. Please see the certificate authority logs for more info.";
    protected const string NotImplementedMessage = "The requested method is not implemented by the certificate authority. Please see the certificate authority logs for more info.";

    // The messages used in these tests contain no characters Go and System.Text.Json escape differently.
    private static readonly JsonSerializerOptions GoLikeJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
