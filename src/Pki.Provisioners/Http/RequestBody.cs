using System.Buffers;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>Reads a request body into memory, refusing more than the configured size.</summary>
internal static class RequestBody
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>The whole body; throws <see cref="RequestBodyTooLargeException"/> past <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]> ReadAsync(HttpContext http, int limit)
    {
        var request = http.Request;
        if (request.ContentLength > limit)
        {
            throw new RequestBodyTooLargeException(limit);
        }
        var body = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? ChunkSize, limit) + 1);
        while (true)
        {
            int read;
            try
            {
                read = await request.Body.ReadAsync(body.GetMemory(ChunkSize), http.RequestAborted).ConfigureAwait(false);
            }
            catch (IOException e) when (e is not BadHttpRequestException and not Microsoft.AspNetCore.Connections.ConnectionResetException
                && !http.RequestAborted.IsCancellationRequested)
            {
                // Kestrel reports some malformed framing (e.g. a chunk size that overflows) as a
                // plain IOException: the client's fault, so 400, not 500.
                throw PkiException.BadRequest("error reading request body", e);
            }
            if (read == 0)
            {
                return body.WrittenSpan.ToArray();
            }
            body.Advance(read);
            if (body.WrittenCount > limit)
            {
                throw new RequestBodyTooLargeException(limit);
            }
        }
    }
}
