using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// The key half of a <see cref="JsonWebKey"/>, one subclass per key type (EC, RSA, OKP). Instances are
/// immutable and hold an imported platform key, so a JWK is parsed and imported once and then
/// verifies any number of tokens concurrently.
/// </summary>
internal abstract class JwkKeyMaterial
{
    /// <summary>The JWK <c>kty</c>.</summary>
    public abstract string KeyType { get; }

    /// <summary>The JWK <c>crv</c>, or null for RSA.</summary>
    public abstract string? Curve { get; }

    /// <summary>True when the private part is present.</summary>
    public abstract bool HasPrivateKey { get; }

    /// <summary>The JWS algorithm used to sign when the JWK has no <c>alg</c>.</summary>
    public abstract string DefaultAlgorithm { get; }

    /// <summary>
    /// The signature-algorithm allow-list for this key (RFC 7518 §3.1 restricted to asymmetric
    /// algorithms matching the key type and curve; step's <c>jose/validate.go</c> <c>validateSigJWK</c>).
    /// </summary>
    public abstract bool Supports(string algorithm);

    /// <summary>The RFC 7638 §3.2 canonical JSON (required members only, sorted, no whitespace).</summary>
    public abstract string ThumbprintInput();

    /// <summary>
    /// Writes the key members after <c>alg</c> in go-jose's <c>rawJSONWebKey</c> field order
    /// (<c>x, y, n, e, d, p, q, dp, dq, qi</c>).
    /// </summary>
    public abstract void WriteKeyMembers(Utf8JsonWriter writer, bool includePrivate);

    /// <summary>The same key without its private part (this instance when already public).</summary>
    public abstract JwkKeyMaterial ToPublic();

    /// <summary>Verifies a JWS signature; the algorithm has already passed <see cref="Supports"/>.</summary>
    public abstract bool Verify(string algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature);

    /// <summary>Signs a JWS signing input; requires the private part.</summary>
    public abstract byte[] Sign(string algorithm, ReadOnlySpan<byte> signingInput);

    /// <summary>Writes a base64url member.</summary>
    protected static void WriteBytes(Utf8JsonWriter writer, string name, ReadOnlySpan<byte> value) =>
        writer.WriteString(name, Base64UrlCodec.Encode(value));

    /// <summary>Reads a required or optional base64url member of a JWK.</summary>
    protected static byte[]? ReadBytes(JsonElement jwk, string name, bool required)
    {
        if (!JoseJson.TryGetString(jwk, name, out var text))
        {
            throw JwkError($"member '{name}' must be a string");
        }
        if (text is null)
        {
            return required ? throw JwkError($"member '{name}' is missing") : null;
        }
        if (!Base64UrlCodec.TryDecode(text, out var bytes) || bytes.Length == 0)
        {
            throw JwkError($"member '{name}' is not valid base64url");
        }
        return bytes;
    }

    /// <summary>The error for an unusable JWK.</summary>
    protected internal static PkiException JwkError(string reason, Exception? inner = null) =>
        PkiException.BadRequest("invalid JWK: " + reason, inner);
}
