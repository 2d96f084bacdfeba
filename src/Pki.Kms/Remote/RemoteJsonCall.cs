using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Remote;

/// <summary>
/// One call to a cloud KMS REST API with a bearer token. Cloud KMS and Key Vault both take and answer
/// JSON objects and report a failure as <c>{"error":{"message":...}}</c> with a member naming it
/// (Cloud KMS's <c>google.rpc.Status</c> <c>status</c>, Key Vault's <c>KeyVaultError</c> <c>code</c>).
/// </summary>
internal static class RemoteJsonCall
{
    /// <summary>Sends the request and returns the answer's JSON object.</summary>
    /// <param name="http">The client.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="uri">The resource.</param>
    /// <param name="token">The bearer token.</param>
    /// <param name="body">The JSON body, or null.</param>
    /// <param name="operation">The operation, for errors (<c>cloudKMS GetPublicKey</c>).</param>
    /// <param name="errorCodeMember">The member of <c>error</c> that names the failure.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="PkiException">The service refused (kind by HTTP status, its reason in the message), was unreachable, or answered no JSON object.</exception>
    public static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, Uri uri, string token, JsonObject? body, string operation, string errorCodeMember,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw RemoteServiceErrors.Unreachable(operation, uri, e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonObject? json = null;
            try
            {
                json = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's error page): the status and reason phrase still tell what failed.
            }
            if (!response.IsSuccessStatusCode)
            {
                var reason = json?["error"]?["message"]?.GetValue<string>() ?? response.ReasonPhrase ?? "no reason given";
                var code = json?["error"]?[errorCodeMember] is JsonValue value && value.TryGetValue<string>(out var named) ? named : null;
                throw RemoteServiceErrors.FromStatus(operation, response.StatusCode, code is null ? reason : $"{code}: {reason}");
            }
            return json ?? throw PkiException.Internal($"{operation} failed: the answer is not a JSON object");
        }
    }
}
