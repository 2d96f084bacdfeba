using System.ComponentModel;
using System.Globalization;

namespace Smallstep.Pki.Keys;

/// <summary>
/// A key type the CA signs with (step's <c>kms/apiv1</c> signature algorithms, by key). An open
/// set: the well-known values are the static members, and a key manager for other hardware or
/// clouds names its own (<c>new KeyAlgorithm("EcdsaBrainpoolP256")</c>). Values compare by
/// <see cref="Name"/>, ordinally (case-sensitive); <c>default</c> is the empty name, which no key
/// has. Converts from its name as a string (<see cref="TypeConverter"/>), so it can be bound from
/// configuration.
/// </summary>
[TypeConverter(typeof(KeyAlgorithmConverter))]
public readonly record struct KeyAlgorithm
{
    private readonly string? _name;

    /// <summary>Creates a key algorithm value from its name.</summary>
    /// <param name="name">A non-empty name, e.g. <c>EcdsaP256</c>; compared ordinally.</param>
    public KeyAlgorithm(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
    }

    /// <summary>ECDSA on NIST P-256 with SHA-256.</summary>
    public static KeyAlgorithm EcdsaP256 { get; } = new(nameof(EcdsaP256));

    /// <summary>ECDSA on NIST P-384 with SHA-384.</summary>
    public static KeyAlgorithm EcdsaP384 { get; } = new(nameof(EcdsaP384));

    /// <summary>ECDSA on NIST P-521 with SHA-512.</summary>
    public static KeyAlgorithm EcdsaP521 { get; } = new(nameof(EcdsaP521));

    /// <summary>RSA with PKCS#1 v1.5 and SHA-256.</summary>
    public static KeyAlgorithm Rsa { get; } = new(nameof(Rsa));

    /// <summary>Ed25519 (RFC 8032).</summary>
    public static KeyAlgorithm Ed25519 { get; } = new(nameof(Ed25519));

    /// <summary>The name, e.g. <c>EcdsaP256</c>; empty for <c>default</c>.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>True for the three NIST ECDSA curves above.</summary>
    public bool IsEcdsa => this == EcdsaP256 || this == EcdsaP384 || this == EcdsaP521;

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}

/// <summary>Converts a <see cref="KeyAlgorithm"/> from and to its name.</summary>
public sealed class KeyAlgorithmConverter : TypeConverter
{
    /// <inheritdoc />
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    /// <inheritdoc />
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string name ? new KeyAlgorithm(name) : base.ConvertFrom(context, culture, value);
}
