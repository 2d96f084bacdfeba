using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// A compact JWS token (RFC 7515 §7.1) parsed but not yet trusted. <see cref="Parse"/> checks only the
/// shape (three strict base64url parts, JSON objects, bounded size); the header and
/// <see cref="UnverifiedClaims"/> may be read to choose a provisioner and key, and nothing else, until
/// <see cref="Verify"/> succeeds. Instances are immutable and thread-safe.
/// </summary>
/// <remarks>
/// Every failure is a <see cref="PkiException"/> of kind Unauthorized, as step-ca answers 401 for
/// any token it cannot parse or verify (authority/provisioner/jwk.go <c>authorizeToken</c>).
/// </remarks>
public sealed class SignedToken
{
    /// <summary>Largest token accepted, in characters (64 KiB); larger input is refused before decoding.</summary>
    public const int MaxTokenLength = UnverifiedToken.MaxLength;

    private readonly byte[] _signingInput;
    private readonly byte[] _signature;

    private SignedToken(string raw, TokenHeader header, TokenClaims claims, byte[] signingInput, byte[] signature)
    {
        Raw = raw;
        Header = header;
        UnverifiedClaims = claims;
        _signingInput = signingInput;
        _signature = signature;
    }

    /// <summary>The token as received (what step-ca stores in <c>used_ott</c>).</summary>
    public string Raw { get; }

    /// <summary>The protected header (untrusted until verified).</summary>
    public TokenHeader Header { get; }

    /// <summary>The claims, not yet verified: use them only to find the key or provisioner.</summary>
    public TokenClaims UnverifiedClaims { get; }

    /// <summary>Parses a compact JWS without verifying it.</summary>
    /// <exception cref="PkiException">Unauthorized when the token is malformed or too large.</exception>
    public static SignedToken Parse(string token) => From(UnverifiedToken.Parse(token));

    /// <summary>
    /// Reads the step claims and header of a token the authority already decoded
    /// (<see cref="UnverifiedToken"/>), without decoding it again.
    /// </summary>
    /// <exception cref="PkiException">Unauthorized when a header member or claim has the wrong JSON type.</exception>
    public static SignedToken From(UnverifiedToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var header = TokenHeader.Read(token.Header);
        var claims = TokenClaims.Read(token.Claims, token.ClaimsJson);
        return new SignedToken(token.Raw, header, claims, token.SigningInput.ToArray(), token.Signature.ToArray());
    }

    /// <summary>
    /// Verifies the signature with <paramref name="key"/> and returns the now trusted claims. The
    /// header <c>alg</c> must be an asymmetric algorithm matching the key type and curve (ES256 for
    /// P-256, ES384 for P-384, ES512 for P-521, RS*/PS* for RSA, EdDSA for Ed25519) and must equal the
    /// JWK's <c>alg</c> when it has one; <c>none</c> and HMAC are never accepted. Time claims are not
    /// checked here: call <see cref="TokenClaims.ValidateTime(DateTimeOffset)"/>.
    /// </summary>
    /// <param name="key">The public (or private) key the token must be signed with.</param>
    /// <exception cref="PkiException">Unauthorized when the algorithm is not allowed or the signature is wrong.</exception>
    public TokenClaims Verify(JsonWebKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var algorithm = Header.Algorithm;
        if (!key.Accepts(algorithm))
        {
            throw Invalid($"algorithm '{algorithm}' is not allowed for the {key.KeyType} key");
        }
        if (!key.Material.Verify(algorithm, _signingInput, _signature))
        {
            throw Invalid("the signature is not valid");
        }
        return UnverifiedClaims;
    }

    /// <inheritdoc />
    public override string ToString() => $"JWS alg={Header.Algorithm} kid={Header.KeyId}";

    private static PkiException Invalid(string reason) => PkiException.Unauthorized("invalid token: " + reason);
}
