using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.YubiKey;

/// <summary>
/// PIV key slots and the CKA_ID Yubico's PKCS#11 module (ykcs11) gives the key in each, per
/// Yubico's YKCS11 "Key Mapping" table (yubico-piv-tool doc/YKCS11/index.adoc): 9a → 1, 9c → 2,
/// 9d → 3, 9e → 4, retired slots 82–95 → 5–24, attestation f9 → 25. The slots step's yubikey
/// manager accepts for keys are 9a, 9c, 9d, 9e and 82–95 (go.step.sm/crypto kms/yubikey
/// <c>slotMapping</c>); f9 holds the attestation key and is refused, as in step.
/// </summary>
internal static class YubiKeySlots
{
    /// <summary>The slot step creates a key in when no name is given (<c>getSlotAndName</c>).</summary>
    public const string DefaultSlot = "9c";

    /// <summary>The ykcs11 CKA_ID of a PIV slot (two hex digits, any case), or null for a slot keys cannot use.</summary>
    public static byte? ObjectId(string slot) => slot.ToLowerInvariant() switch
    {
        "9a" => 1,
        "9c" => 2,
        "9d" => 3,
        "9e" => 4,
        var retired when retired.Length == 2 && byte.TryParse(retired, System.Globalization.NumberStyles.AllowHexSpecifier, null, out var b) && b is >= 0x82 and <= 0x95
            => (byte)(b - 0x82 + 5),
        _ => null,
    };

    /// <summary>The ykcs11 CKA_ID of the attestation slot f9 (not a CA key slot).</summary>
    public const byte AttestationObjectId = 25;

    /// <summary>The CKA_ID for <paramref name="slot"/>.</summary>
    /// <exception cref="PkiException">BadRequest for a slot that cannot hold a CA key.</exception>
    public static byte Require(string slot) => ObjectId(slot)
        ?? throw PkiException.BadRequest($"unsupported yubikey slot-id '{slot}' (supported: 9a, 9c, 9d, 9e, 82-95)");
}
