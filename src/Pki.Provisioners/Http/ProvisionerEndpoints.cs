using System.Globalization;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>The provisioner listing endpoints (api/api.go <c>Provisioners</c>, <c>ProvisionerKey</c>).</summary>
internal static class ProvisionerEndpoints
{
    /// <summary>
    /// <c>GET /provisioners?cursor=&amp;limit=</c>: 200 <c>{"provisioners":[...],"nextCursor":"..."}</c>.
    /// <c>limit</c> is parsed like Go's <c>strconv.Atoi</c> (optional sign, ASCII digits, 64-bit) and
    /// clamped as step-ca's collection does (authority/provisioner/collection.go <c>Find</c>): absent
    /// or ≤0 → <see cref="ProvisionerCatalog.DefaultLimit"/> (20), above
    /// <see cref="ProvisionerCatalog.MaxLimit"/> (100) → 100; clamped here too because the catalog
    /// contract does not promise it.
    /// </summary>
    public static Task List(StepApiContext call)
    {
        var query = call.Http.Request.Query;
        var cursor = ParseCursor(query["cursor"].FirstOrDefault());
        var limit = ParseLimit(query["limit"].FirstOrDefault());
        var page = call.Catalog.List(cursor, limit);
        var catalog = page.Catalog ?? call.Catalog;
        return call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("provisioners");
            foreach (var provisioner in page.Items)
            {
                catalog.WriteListing(provisioner, writer);
            }
            writer.WriteEndArray();
            writer.WriteString("nextCursor", page.NextCursor);
            writer.WriteEndObject();
        });
    }

    /// <summary><c>GET /provisioners/{kid}/encrypted-key</c>: 200 <c>{"key":JWE}</c>, else 404.</summary>
    public static Task EncryptedKey(StepApiContext call)
    {
        var kid = call.Route("kid");
        var key = call.Catalog.FindEncryptedKey(kid)
            ?? throw PkiException.NotFound($"encrypted key with kid {kid} was not found");
        return call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("key", key);
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// The longest cursor: step-ca's cursors are 40 hex digits (a SHA-1) with leading zeros trimmed.
    /// </summary>
    internal const int MaxCursorLength = 40;

    /// <summary>
    /// Stricter than step-ca (which pads and compares anything): a cursor is what we hand out — at
    /// most 40 lower-case hex digits — else 400 with step-ca's error body, so a garbage or
    /// over-long cursor is refused rather than silently read as the start or the end of the list.
    /// </summary>
    internal static string? ParseCursor(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (text.Length > MaxCursorLength || !text.All(char.IsAsciiHexDigitLower))
        {
            throw PkiException.BadRequest("invalid cursor: expected at most 40 lower-case hex digits");
        }
        return text;
    }

    internal static int ParseLimit(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return ProvisionerCatalog.DefaultLimit;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit))
        {
            throw PkiException.BadRequest($"limit '{text}' is not an integer");
        }
        return limit <= 0 ? ProvisionerCatalog.DefaultLimit : (int)Math.Min(limit, ProvisionerCatalog.MaxLimit);
    }
}
