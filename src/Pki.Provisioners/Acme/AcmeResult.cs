using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>What an ACME handler answers, independent of the HTTP stack: status, a JSON body or a raw one, and the RFC 8555 headers. Immutable.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Json">Writes the JSON body, or null.</param>
public sealed record AcmeResult(int Status, Action<Utf8JsonWriter>? Json = null)
{
    /// <summary>The <c>Location</c> header (RFC 8555 §7.3, §7.4), or null.</summary>
    public string? Location { get; init; }

    /// <summary>A <c>Link: &lt;url&gt;;rel="up"</c> target (challenge → authorization, certificate → issuer), or null.</summary>
    public string? Up { get; init; }

    /// <summary>The <c>Retry-After</c> delay for a resource still processing (RFC 8555 §7.4, §8.2), or null.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A non-JSON body (the certificate chain), or null.</summary>
    public string? Text { get; init; }

    /// <summary>The content type of <see cref="Text"/>.</summary>
    public string? ContentType { get; init; }
}
