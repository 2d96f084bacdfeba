using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// Writes complete responses the way step-ca's Go server sends them: whole body with an exact
/// <c>Content-Length</c>, JSON as <c>application/json</c> without a charset (api/render/render.go).
/// For HEAD requests Kestrel keeps the headers and drops the body (chi's <c>middleware.GetHead</c>).
/// </summary>
internal static class StepResponseWriter
{
    public const string JsonContentType = "application/json";
    public const string PemContentType = "application/x-pem-file";

    /// <summary>
    /// step-ca's <c>api/render.JSONStatus</c>: <c>json.NewEncoder(w).Encode(v)</c>, built with Go 1.19 as
    /// the 0.19 fixtures were (compact, HTML-escaped, <c>\u0008</c>, a trailing newline).
    /// </summary>
    public static GoJsonFormat JsonFormat { get; } = GoJsonFormat.Go119Marshal with { TrailingNewline = true };

    /// <summary>Writes what <paramref name="write"/> produces as Go-encoded JSON.</summary>
    public static Task WriteJsonAsync(HttpContext http, int status, Action<Utf8JsonWriter> write) =>
        WriteAsync(http, status, JsonContentType, GoJsonEncoder.Encode(write, JsonFormat));

    /// <summary>Writes <paramref name="body"/> with the given status and content type.</summary>
    public static async Task WriteAsync(HttpContext http, int status, string contentType, byte[] body)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes the step-ca error body for <paramref name="error"/>.</summary>
    public static Task WriteErrorAsync(HttpContext http, StepError error) =>
        WriteJsonAsync(http, error.Status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("status", error.Status);
            writer.WriteString("message", error.Message);
            writer.WriteEndObject();
        });
}
