using System.Security.Cryptography;
using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// The protected header of a PBES2 JWE, checked before any key derivation so a hostile header
/// cannot make us run an unbounded PBKDF2 (<c>p2c</c> is capped at <see cref="EncryptedKey.MaxIterations"/>).
/// </summary>
internal sealed record EncryptedKeyHeader(string Algorithm, int ContentKeySize, int Iterations, byte[] Salt)
{
    private const int MaxSaltSize = 1024;

    /// <summary>Reads and checks the decoded header JSON.</summary>
    public static EncryptedKeyHeader Read(byte[] json)
    {
        if (!JoseJson.TryParseObject(json, out var header)
            || !JoseJson.TryGetString(header, "alg", out var alg)
            || !JoseJson.TryGetString(header, "enc", out var enc)
            || !JoseJson.TryGetString(header, "p2s", out var p2s))
        {
            throw EncryptedKey.Invalid("the header is not valid JSON");
        }
        if (alg is not ("PBES2-HS256+A128KW" or "PBES2-HS384+A192KW" or "PBES2-HS512+A256KW"))
        {
            throw EncryptedKey.Invalid($"unsupported key algorithm '{alg}'");
        }
        var contentKeySize = enc switch
        {
            "A128GCM" => 16,
            "A192GCM" => 24,
            "A256GCM" => 32,
            _ => throw EncryptedKey.Invalid($"unsupported content encryption '{enc}'"),
        };
        if (header.TryGetProperty("zip", out _) || header.TryGetProperty("crit", out _))
        {
            throw EncryptedKey.Invalid("compression and critical headers are not supported");
        }
        // go-jose v3.0.5 symmetric.go: p2c must be a positive integer not above 1,000,000.
        if (!header.TryGetProperty("p2c", out var p2c) || p2c.ValueKind != JsonValueKind.Number
            || !p2c.TryGetInt32(out var iterations) || iterations <= 0 || iterations > EncryptedKey.MaxIterations)
        {
            throw EncryptedKey.Invalid($"'p2c' must be an integer from 1 to {EncryptedKey.MaxIterations}");
        }
        if (p2s is null || !Base64UrlCodec.TryDecode(p2s, out var salt) || salt.Length == 0 || salt.Length > MaxSaltSize)
        {
            throw EncryptedKey.Invalid("'p2s' must be a non-empty base64url salt");
        }
        return new EncryptedKeyHeader(alg, contentKeySize, iterations, salt);
    }

    /// <summary>RFC 7518 §4.8: the PBKDF2 PRF and the derived key-wrapping key size of a PBES2 alg.</summary>
    public static (HashAlgorithmName Hash, int KeySize) Pbes2Parameters(string algorithm) => algorithm switch
    {
        "PBES2-HS256+A128KW" => (HashAlgorithmName.SHA256, 16),
        "PBES2-HS384+A192KW" => (HashAlgorithmName.SHA384, 24),
        _ => (HashAlgorithmName.SHA512, 32),
    };
}
