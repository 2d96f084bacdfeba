using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Smallstep.Pki.Provisioners.Acme.Http;

/// <summary>
/// Writes an ACME response body in one piece with its <c>Content-Length</c>, as Go's net/http does
/// for small bodies. A chunked body costs clients their keep-alive connection: Go's transport (lego,
/// x/crypto/acme) reuses a connection only when the body was read to its end, and a JSON decoder
/// stops at the closing brace, before the terminating chunk.
/// </summary>
internal static class AcmeResponseBody
{
    /// <summary>Writes the JSON that <paramref name="write"/> produces.</summary>
    public static async Task WriteJsonAsync(HttpResponse response, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public static async Task WriteTextAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }
}
