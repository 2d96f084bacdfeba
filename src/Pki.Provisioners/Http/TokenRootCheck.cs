using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The endpoint-level <c>sha</c> check (<see cref="TokenRootBinding"/>) for every operation that
/// takes a one-time token in its body (sign, revoke, SSH sign), run before the authority sees the
/// token so a refused token burns nothing. It only scans the payload's top-level members (no
/// document is built, the hot path stays cheap); a token that does not decode is left to the
/// authority, which refuses it with its own reason. Refusing on an unverified claim is safe: the
/// check can only refuse, never allow.
/// </summary>
internal static class TokenRootCheck
{
    public static void Require(string token, TrustBundle trust)
    {
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (second < 0 || token.Length > SignedToken.MaxTokenLength)
        {
            return;
        }
        var payload = token.AsSpan(first + 1, second - first - 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (Base64Url.DecodeFromChars(payload, buffer, out var consumed, out var written) != OperationStatus.Done || consumed != payload.Length)
            {
                return;
            }
            if (FindSha(buffer.AsSpan(0, written), out var sha, out var notAString))
            {
                if (notAString)
                {
                    throw TokenRootBinding.NotAString();
                }
                TokenRootBinding.Require(sha!, trust.Roots);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The last top-level "sha" member (go-jose keeps the last duplicate; our verifier refuses
    // duplicates anyway). JSON null counts as absent. Malformed JSON: not found.
    private static bool FindSha(ReadOnlySpan<byte> json, out string? sha, out bool notAString)
    {
        (sha, notAString) = (null, false);
        var found = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 32 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSha = reader.ValueTextEquals("sha"u8);
                reader.Read();
                if (isSha)
                {
                    (found, sha, notAString) = reader.TokenType switch
                    {
                        JsonTokenType.Null => (false, null, false),
                        JsonTokenType.String => (true, reader.GetString(), false),
                        _ => (true, null, true),
                    };
                }
                reader.Skip();
            }
            return found;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
