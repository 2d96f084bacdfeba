using Net.Pkcs11Interop.Common;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>How the manager reads PKCS#11 return values (PKCS#11 v2.40 §5.1).</summary>
internal static class Pkcs11Errors
{
    /// <summary>The token forgot the session, the login or the object handles (reset, removal, another application's C_CloseAllSessions).</summary>
    public static bool IsSessionLost(CKR rv) => rv is CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_SESSION_CLOSED or CKR.CKR_USER_NOT_LOGGED_IN
        or CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_DEVICE_REMOVED or CKR.CKR_OBJECT_HANDLE_INVALID or CKR.CKR_KEY_HANDLE_INVALID;

    /// <summary>The return value and what it means to an operator (never the PIN).</summary>
    public static string Reason(Pkcs11Exception e) => e.RV switch
    {
        CKR.CKR_PIN_INCORRECT => "CKR_PIN_INCORRECT (wrong PIN)",
        CKR.CKR_PIN_LOCKED => "CKR_PIN_LOCKED (too many wrong PINs; unblock it with the SO PIN)",
        CKR.CKR_PIN_LEN_RANGE => "CKR_PIN_LEN_RANGE (the PIN has the wrong length)",
        CKR.CKR_TOKEN_NOT_PRESENT => "CKR_TOKEN_NOT_PRESENT (no token in the slot)",
        CKR.CKR_USER_PIN_NOT_INITIALIZED => "CKR_USER_PIN_NOT_INITIALIZED (the token has no user PIN yet)",
        CKR.CKR_DEVICE_ERROR => $"{e.Method} returned CKR_DEVICE_ERROR (the module cannot reach its device; for a YubiKey or smart card: is pcscd running and the device attached?)",
        _ => $"{e.Method} returned {e.RV}",
    };
}
