using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.KeyUris;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>
/// How a key manager on PKCS#11 names its keys: step's <c>pkcs11:id=...;object=...</c> URIs here,
/// PIV slots for the YubiKey manager (<see cref="YubiKey.YubiKeyKeyNaming"/>).
/// </summary>
internal abstract class Pkcs11KeyNaming
{
    /// <summary>The token object a key URI names.</summary>
    /// <exception cref="PkiException">BadRequest for a URI that names no key; the message does not repeat the URI (it may hold a PIN).</exception>
    public abstract Pkcs11ObjectName Parse(string keyUri);

    /// <summary>Where a new key goes and the URI to return for it.</summary>
    /// <exception cref="PkiException">BadRequest when the name is not usable for a new key.</exception>
    public abstract (Pkcs11ObjectName Object, string KeyUri) ForCreate(string name);

    /// <summary>Whether new keys get the usage attributes (CKA_SIGN, CKA_SENSITIVE, ...) crypto11 sets; ykcs11 fixes them itself.</summary>
    public virtual bool SetsUsageAttributes => true;
}

/// <summary>
/// step's PKCS#11 key names (go.step.sm/crypto <c>kms/pkcs11</c> <c>parseObject</c>):
/// <c>pkcs11:id=7332;object=intermediate-ca</c>; <c>id</c> is CKA_ID (hex, or raw percent-encoded
/// bytes), <c>object</c> is CKA_LABEL. Either finds a key; a new key needs both. Other attributes
/// (<c>token</c>, <c>pin-value</c>, ...) in a key URI are ignored: the <c>kms</c> block chooses the token.
/// </summary>
internal sealed class Pkcs11UriKeyNaming : Pkcs11KeyNaming
{
    /// <summary>The one instance.</summary>
    public static Pkcs11UriKeyNaming Instance { get; } = new();

    /// <inheritdoc />
    public override Pkcs11ObjectName Parse(string keyUri)
    {
        ArgumentNullException.ThrowIfNull(keyUri);
        var uri = KmsUri.Parse(keyUri, "pkcs11");
        var id = uri.GetEncoded("id");
        var label = uri.Get("object");
        if (id is null && label.Length == 0)
        {
            throw PkiException.BadRequest("pkcs11 key URI needs 'id' or 'object'");
        }
        return new Pkcs11ObjectName(id, label.Length == 0 ? null : label);
    }

    /// <inheritdoc />
    public override (Pkcs11ObjectName Object, string KeyUri) ForCreate(string name)
    {
        var parsed = Parse(name);
        // step enforces both for new keys: "not strictly necessary in PKCS #11, but it's a good practice".
        return parsed.Id is null || parsed.Label is null
            ? throw PkiException.BadRequest("a new pkcs11 key needs both 'id' and 'object', e.g. pkcs11:id=7331;object=root-ca")
            : (parsed, name);
    }
}
