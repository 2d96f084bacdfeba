using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// The protected header of a compact JWS, as read (not trusted) from a token. Besides the RFC 7515
/// members it exposes the step-specific ones: <c>x5cInsecure</c> (renew tokens,
/// go.step.sm/crypto <c>jose/parse.go</c>), <c>sshpop</c> and <c>nebula</c> (authority/provisioner
/// <c>sshpop.go</c>, <c>nebula.go</c>).
/// </summary>
public sealed class TokenHeader
{
    private TokenHeader(JsonElement raw)
    {
        Raw = raw;
    }

    /// <summary>The signature algorithm (<c>alg</c>), always present.</summary>
    public string Algorithm { get; private init; } = "";

    /// <summary>The key ID (<c>kid</c>), or null.</summary>
    public string? KeyId { get; private init; }

    /// <summary>The media type (<c>typ</c>), normally <c>JWT</c>, or null.</summary>
    public string? Type { get; private init; }

    /// <summary>The <c>x5c</c> chain: standard-base64 DER certificates, leaf first; null when absent.</summary>
    public IReadOnlyList<string>? X5c { get; private init; }

    /// <summary>The <c>x5cInsecure</c> chain (renew tokens), standard base64 DER, leaf first; null when absent.</summary>
    public IReadOnlyList<string>? X5cInsecure { get; private init; }

    /// <summary>The <c>sshpop</c> header: standard base64 of an SSH certificate; null when absent.</summary>
    public string? Sshpop { get; private init; }

    /// <summary>The <c>nebula</c> header: standard base64 of a Nebula certificate; null when absent.</summary>
    public string? Nebula { get; private init; }

    /// <summary>The whole header object, for members not modelled here.</summary>
    public JsonElement Raw { get; }

    /// <summary>Reads the header object; <c>crit</c> is refused since no extension is understood (RFC 7515 §4.1.11).</summary>
    internal static TokenHeader Read(JsonElement header)
    {
        if (!JoseJson.TryGetString(header, "alg", out var alg)
            || !JoseJson.TryGetString(header, "kid", out var kid)
            || !JoseJson.TryGetString(header, "typ", out var typ)
            || !JoseJson.TryGetString(header, "sshpop", out var sshpop)
            || !JoseJson.TryGetString(header, "nebula", out var nebula)
            || !JoseJson.TryGetStringArray(header, "x5c", out var x5c)
            || !JoseJson.TryGetStringArray(header, "x5cInsecure", out var x5cInsecure))
        {
            throw Invalid("a header member has the wrong type");
        }
        if (string.IsNullOrEmpty(alg))
        {
            throw Invalid("the header has no 'alg'");
        }
        if (header.TryGetProperty("crit", out _))
        {
            throw Invalid("critical header extensions are not supported");
        }
        return new TokenHeader(header)
        {
            Algorithm = alg,
            KeyId = kid,
            Type = typ,
            X5c = x5c,
            X5cInsecure = x5cInsecure,
            Sshpop = sshpop,
            Nebula = nebula,
        };
    }

    private static PkiException Invalid(string reason) => PkiException.Unauthorized("invalid token: " + reason);
}
