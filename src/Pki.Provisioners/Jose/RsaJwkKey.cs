using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// An RSA JWK (RFC 7518 §6.3) backed by a platform <see cref="RSA"/>. Values are kept as minimal
/// big-endian integers, the form go-jose writes (<c>newBuffer(x.Bytes())</c>) and RFC 7638 hashes.
/// Private keys need <c>d, p, q</c> (as go-jose's <c>rsaPrivateKey</c>); <c>dp, dq, qi</c> are
/// computed when absent. The modulus is bounded to 2048–16384 bits.
/// </summary>
internal sealed class RsaJwkKey : JwkKeyMaterial
{
    private const int MinimumBits = 2048;
    private const int MaximumBits = 16384;

    private static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    private readonly RSAParameters _parameters;
    private readonly RSA _key;

    private RsaJwkKey(RSAParameters minimal)
    {
        _parameters = minimal;
        try
        {
            _key = RSA.Create();
            _key.ImportParameters(PadForImport(minimal));
        }
        catch (CryptographicException e)
        {
            throw JwkError("the RSA key is not valid", e);
        }
    }

    /// <inheritdoc />
    public override string KeyType => "RSA";

    /// <inheritdoc />
    public override string? Curve => null;

    /// <inheritdoc />
    public override bool HasPrivateKey => _parameters.D is not null;

    /// <inheritdoc />
    public override string DefaultAlgorithm => "RS256";

    /// <summary>A new platform key with the same parameters; the caller disposes it.</summary>
    public RSA CreateRsa()
    {
        var copy = RSA.Create();
        copy.ImportParameters(_key.ExportParameters(HasPrivateKey));
        return copy;
    }

    /// <summary>Reads <c>n, e[, d, p, q, dp, dq, qi]</c> from a JWK object.</summary>
    public static RsaJwkKey Read(JsonElement jwk)
    {
        var parameters = new RSAParameters
        {
            Modulus = Minimal(ReadBytes(jwk, "n", required: true)),
            Exponent = Minimal(ReadBytes(jwk, "e", required: true)),
            D = Minimal(ReadBytes(jwk, "d", required: false)),
        };
        if (parameters.D is not null)
        {
            parameters.P = Minimal(ReadBytes(jwk, "p", required: true));
            parameters.Q = Minimal(ReadBytes(jwk, "q", required: true));
            parameters.DP = Minimal(ReadBytes(jwk, "dp", required: false));
            parameters.DQ = Minimal(ReadBytes(jwk, "dq", required: false));
            parameters.InverseQ = Minimal(ReadBytes(jwk, "qi", required: false));
        }
        return new RsaJwkKey(Checked(parameters));
    }

    /// <summary>Copies a platform key (public, or private when asked).</summary>
    public static RsaJwkKey From(RSA key, bool includePrivateKey)
    {
        var p = key.ExportParameters(includePrivateKey);
        return new RsaJwkKey(Checked(new RSAParameters
        {
            Modulus = Minimal(p.Modulus),
            Exponent = Minimal(p.Exponent),
            D = Minimal(p.D),
            P = Minimal(p.P),
            Q = Minimal(p.Q),
            DP = Minimal(p.DP),
            DQ = Minimal(p.DQ),
            InverseQ = Minimal(p.InverseQ),
        }));
    }

    /// <summary>A fresh 2048-bit key pair (step's default RSA size).</summary>
    public static RsaJwkKey Generate()
    {
        using var key = RSA.Create(MinimumBits);
        return From(key, includePrivateKey: true);
    }

    /// <inheritdoc />
    public override bool Supports(string algorithm) => Array.IndexOf(Algorithms, algorithm) >= 0;

    /// <inheritdoc />
    public override string ThumbprintInput() =>
        $"{{\"e\":\"{Base64UrlCodec.Encode(_parameters.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64UrlCodec.Encode(_parameters.Modulus)}\"}}";

    /// <inheritdoc />
    public override void WriteKeyMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        WriteBytes(writer, "n", _parameters.Modulus);
        WriteBytes(writer, "e", _parameters.Exponent);
        if (includePrivate && _parameters.D is not null)
        {
            WriteBytes(writer, "d", _parameters.D);
            WriteBytes(writer, "p", _parameters.P);
            WriteBytes(writer, "q", _parameters.Q);
            WriteBytes(writer, "dp", _parameters.DP);
            WriteBytes(writer, "dq", _parameters.DQ);
            WriteBytes(writer, "qi", _parameters.InverseQ);
        }
    }

    /// <inheritdoc />
    public override JwkKeyMaterial ToPublic() => HasPrivateKey
        ? new RsaJwkKey(new RSAParameters { Modulus = _parameters.Modulus, Exponent = _parameters.Exponent })
        : this;

    /// <inheritdoc />
    public override bool Verify(string algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature) =>
        // RFC 8017 §8.2.2 step 1: the signature is exactly as long as the modulus.
        signature.Length == _parameters.Modulus!.Length
        && _key.VerifyData(signingInput, signature, Hash(algorithm), Padding(algorithm));

    /// <inheritdoc />
    public override byte[] Sign(string algorithm, ReadOnlySpan<byte> signingInput) =>
        _key.SignData(signingInput, Hash(algorithm), Padding(algorithm));

    private static HashAlgorithmName Hash(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    // RFC 7518 §3.5: PSS with MGF1 on the same hash and a salt as long as the hash, which is what
    // .NET's RSASignaturePadding.Pss does and what go-jose signs with (PSSSaltLengthEqualsHash).
    private static RSASignaturePadding Padding(string algorithm) =>
        algorithm[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    private static RSAParameters Checked(RSAParameters p)
    {
        var n = ToInteger(p.Modulus!);
        var bits = n.GetBitLength();
        if (bits < MinimumBits || bits > MaximumBits)
        {
            throw JwkError($"RSA modulus must be {MinimumBits} to {MaximumBits} bits, not {bits}");
        }
        var e = ToInteger(p.Exponent!);
        if (p.Exponent!.Length > 4 || e < 3 || e.IsEven)
        {
            throw JwkError("RSA exponent must be an odd number between 3 and 2^32");
        }
        if (p.D is null)
        {
            return p;
        }
        var (d, prime1, prime2) = (ToInteger(p.D), ToInteger(p.P!), ToInteger(p.Q!));
        // The checks of Go's rsa.PrivateKey.Validate, cheap with BigInteger: n = p·q, d·e ≡ 1 mod (p−1) and (q−1).
        if (prime1 * prime2 != n || (d * e) % (prime1 - 1) != 1 || (d * e) % (prime2 - 1) != 1)
        {
            throw JwkError("RSA private key values are inconsistent");
        }
        p.DP ??= FromInteger(d % (prime1 - 1));
        p.DQ ??= FromInteger(d % (prime2 - 1));
        p.InverseQ ??= FromInteger(BigInteger.ModPow(prime2, prime1 - 2, prime1));
        return p;
    }

    // .NET wants D as long as the modulus and the CRT values half as long, left-padded with zeros.
    private static RSAParameters PadForImport(RSAParameters p)
    {
        var half = (p.Modulus!.Length + 1) / 2;
        return new RSAParameters
        {
            Modulus = p.Modulus,
            Exponent = p.Exponent,
            D = Pad(p.D, p.Modulus.Length),
            P = Pad(p.P, half),
            Q = Pad(p.Q, half),
            DP = Pad(p.DP, half),
            DQ = Pad(p.DQ, half),
            InverseQ = Pad(p.InverseQ, half),
        };
    }

    private static byte[]? Pad(byte[]? value, int length)
    {
        if (value is null || value.Length >= length)
        {
            return value;
        }
        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    private static byte[]? Minimal(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }
        return start == 0 ? value : value[start..];
    }

    private static BigInteger ToInteger(byte[] value) => new(value, isUnsigned: true, isBigEndian: true);

    private static byte[] FromInteger(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true);
}
