using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Pkcs11;
using Smallstep.Pki.Kms.KeyUris;

namespace Smallstep.Pki.Kms.YubiKey;

/// <summary>
/// YubiKey key names as go.step.sm/crypto <c>kms/yubikey</c> <c>getSlotAndName</c> reads them:
/// <c>yubikey:slot-id=9a</c> (case-insensitive) or a bare slot id; a new key without a name goes to
/// slot 9c. Each names the ykcs11 object with the slot's CKA_ID (<see cref="YubiKeySlots"/>);
/// ykcs11's labels are fixed, so no label is matched or set.
/// </summary>
internal sealed class YubiKeyKeyNaming : Pkcs11KeyNaming
{
    /// <summary>The one instance.</summary>
    public static YubiKeyKeyNaming Instance { get; } = new();

    /// <inheritdoc />
    public override bool SetsUsageAttributes => false;

    /// <inheritdoc />
    public override Pkcs11ObjectName Parse(string keyUri) => new([YubiKeySlots.Require(SlotOf(keyUri))], null);

    /// <inheritdoc />
    public override (Pkcs11ObjectName Object, string KeyUri) ForCreate(string name)
    {
        var slot = string.IsNullOrEmpty(name) ? YubiKeySlots.DefaultSlot : SlotOf(name);
        return (new([YubiKeySlots.Require(slot)], null), "yubikey:slot-id=" + slot.ToLowerInvariant());
    }

    /// <summary>The slot id a key name gives.</summary>
    /// <exception cref="PkiException">BadRequest when there is none.</exception>
    public static string SlotOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        name = name.ToLowerInvariant(); // step lowercases the whole name
        if (!name.StartsWith("yubikey:", StringComparison.OrdinalIgnoreCase))
        {
            return name;
        }
        var slot = KmsUri.Parse(name, "yubikey").Get("slot-id");
        return slot.Length > 0 ? slot.ToLowerInvariant() : throw PkiException.BadRequest("yubikey key URI has no slot-id");
    }
}
