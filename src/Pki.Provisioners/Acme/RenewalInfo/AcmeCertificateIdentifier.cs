using System.Buffers.Text;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Provisioners.Acme.RenewalInfo;

/// <summary>
/// The unique identifier of a certificate in ACME Renewal Information (RFC 9773 §4.1): the
/// base64url (no padding) of the Authority Key Identifier's <c>keyIdentifier</c>, a dot, and the
/// base64url of the serial number's DER content octets. Used in <c>renewalInfo/{certID}</c> and in a
/// new-order's <c>replaces</c> (RFC 9773 §5). Immutable.
/// </summary>
public sealed class AcmeCertificateIdentifier : IEquatable<AcmeCertificateIdentifier>
{
    // An AKI keyIdentifier is a hash (20 or 32 bytes in practice); a serial is at most 20 octets
    // (RFC 5280 §4.1.2.2). Anything longer in a URL is refused before it reaches the database.
    private const int MaxKeyIdentifierBytes = 64;
    private const int MaxSerialBytes = 20;

    private AcmeCertificateIdentifier(byte[] keyIdentifier, byte[] serial)
    {
        KeyIdentifier = keyIdentifier;
        Serial = serial;
    }

    /// <summary>The issuer's key identifier (the certificate's AKI <c>keyIdentifier</c>).</summary>
    public ReadOnlyMemory<byte> KeyIdentifier { get; }

    /// <summary>The serial number's DER content octets (big-endian, minimal, positive).</summary>
    public ReadOnlyMemory<byte> Serial { get; }

    /// <summary>The serial as a decimal string, step-ca's key of <c>x509_certs</c>.</summary>
    public string SerialDecimal => new BigInteger(Serial.Span, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses a certID. Strict: both parts non-empty canonical base64url without padding, the serial a
    /// minimal positive DER integer of at most 20 octets; anything else is refused (RFC 9773 §4.1).
    /// </summary>
    public static bool TryParse(string? text, out AcmeCertificateIdentifier? identifier)
    {
        identifier = null;
        if (text is null)
        {
            return false;
        }
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1 || text.IndexOf('.', dot + 1) >= 0)
        {
            return false;
        }
        if (!TryDecode(text.AsSpan(0, dot), MaxKeyIdentifierBytes, out var keyIdentifier) || !TryDecode(text.AsSpan(dot + 1), MaxSerialBytes, out var serial))
        {
            return false;
        }
        // DER INTEGER content: no superfluous leading 0x00, and positive (X.690 §8.3.2; RFC 5280 §4.1.2.2).
        var minimal = serial.Length == 1 || !(serial[0] == 0x00 && serial[1] < 0x80);
        if (!minimal || serial[0] >= 0x80)
        {
            return false;
        }
        identifier = new AcmeCertificateIdentifier(keyIdentifier, serial);
        return true;
    }

    /// <summary>The identifier of <paramref name="certificate"/>, or null when it has no AKI key identifier.</summary>
    public static AcmeCertificateIdentifier? From(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault();
        if (aki?.KeyIdentifier is not { Length: > 0 } keyIdentifier)
        {
            return null;
        }
        // SerialNumberBytes is the DER content, big-endian, as RFC 9773 §4.1 wants it.
        return new AcmeCertificateIdentifier(keyIdentifier.ToArray(), certificate.SerialNumberBytes.ToArray());
    }

    /// <summary>Whether this identifier names <paramref name="certificate"/> (same issuer key, same serial).</summary>
    public bool Names(X509Certificate2 certificate) => From(certificate) is { } other && Equals(other);

    /// <inheritdoc />
    public override string ToString() => $"{Base64Url.EncodeToString(KeyIdentifier.Span)}.{Base64Url.EncodeToString(Serial.Span)}";

    /// <inheritdoc />
    public bool Equals(AcmeCertificateIdentifier? other) =>
        other is not null && KeyIdentifier.Span.SequenceEqual(other.KeyIdentifier.Span) && Serial.Span.SequenceEqual(other.Serial.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AcmeCertificateIdentifier);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(KeyIdentifier.Span);
        hash.AddBytes(Serial.Span);
        return hash.ToHashCode();
    }

    private static bool TryDecode(ReadOnlySpan<char> text, int maxBytes, out byte[] bytes)
    {
        bytes = [];
        // Base64Url accepts padding; a certID has none, and the bits after the last whole byte must be zero.
        if (text.Length == 0 || text.Length > (maxBytes * 4 + 2) / 3 || text.Contains('=') || !Base64Url.IsValid(text, out var length) || length == 0)
        {
            return false;
        }
        bytes = new byte[length];
        if (Base64Url.DecodeFromChars(text, bytes) != length)
        {
            return false;
        }
        return Base64Url.EncodeToString(bytes).AsSpan().SequenceEqual(text);
    }
}
