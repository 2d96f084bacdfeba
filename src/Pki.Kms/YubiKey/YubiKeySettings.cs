using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Pkcs11;
using Smallstep.Pki.Kms.KeyUris;

namespace Smallstep.Pki.Kms.YubiKey;

/// <summary>
/// The YubiKey manager's settings from ca.json's <c>kms</c> block, with go.step.sm/crypto
/// <c>kms/yubikey.New</c>'s fields and defaults: <c>kms.uri</c>
/// (<c>yubikey:management-key=...;serial=...?pin-value=...|pin-source=...</c>, also
/// <c>management-key-source</c>) takes precedence over <c>kms.pin</c> and <c>kms.managementKey</c>;
/// the PIN defaults to 123456 and the management key to PIV's default
/// 010203040506070801020304050607080102030405060708, as on a new YubiKey. Without <c>serial</c>
/// the first YubiKey is used. The YubiKey is reached through Yubico's PKCS#11 module (ykcs11):
/// <c>module-path</c> (our addition; step talks PC/SC directly) or the first of
/// <see cref="DefaultModulePaths"/> that exists.
/// </summary>
internal static class YubiKeySettings
{
    /// <summary>The PIV default PIN.</summary>
    public const string DefaultPin = "123456";

    /// <summary>The PIV default management key (piv-go <c>DefaultManagementKey</c>), hex.</summary>
    public const string DefaultManagementKey = "010203040506070801020304050607080102030405060708";

    /// <summary>Where distributions install ykcs11 (Debian/Ubuntu ykcs11 package, yubico-piv-tool's default prefix, macOS Homebrew).</summary>
    public static IReadOnlyList<string> DefaultModulePaths { get; } =
    [
        "/usr/lib/x86_64-linux-gnu/libykcs11.so.2",
        "/usr/lib/aarch64-linux-gnu/libykcs11.so.2",
        "/usr/lib64/libykcs11.so.2",
        "/usr/local/lib/libykcs11.so",
        "/opt/homebrew/lib/libykcs11.dylib",
        "/usr/local/lib/libykcs11.dylib",
    ];

    /// <summary>The PKCS#11 settings for ykcs11, with the management key as the security officer PIN (ykcs11 key generation).</summary>
    /// <exception cref="CaConfigException">The block is unusable; names <c>kms.uri</c> or <c>kms.managementKey</c>.</exception>
    public static Pkcs11Settings FromKms(KmsConfig kms, Func<string, bool>? fileExists = null)
    {
        ArgumentNullException.ThrowIfNull(kms);
        fileExists ??= File.Exists;
        string? pin = kms.Pin, managementKey = kms.ManagementKey, serial = null, module = null;
        var maxSessions = 1;
        if (!string.IsNullOrEmpty(kms.Uri))
        {
            try
            {
                var uri = KmsUri.Parse(kms.Uri, "yubikey");
                pin = uri.Pin() is { Length: > 0 } fromUri ? fromUri : pin;
                if (uri.Get("management-key") is { Length: > 0 } key)
                {
                    managementKey = key;
                }
                else if (uri.Get("management-key-source") is { Length: > 0 } source && KmsUri.ReadFile(source, "management-key-source").Trim() is { Length: > 0 } fromFile)
                {
                    managementKey = fromFile;
                }
                serial = uri.Get("serial") is { Length: > 0 } s ? s : null;
                module = uri.Get("module-path") is { Length: > 0 } m ? m : null;
                if (uri.Get("max-sessions") is { Length: > 0 } sessions && !(int.TryParse(sessions, System.Globalization.NumberStyles.None, null, out maxSessions) && maxSessions is >= 1 and <= 1024))
                {
                    throw PkiException.BadRequest("kms uri 'max-sessions' is not valid");
                }
            }
            catch (PkiException e)
            {
                throw Pkcs11Settings.Invalid(e.Message);
            }
        }
        return new Pkcs11Settings
        {
            ModulePath = module ?? DefaultModulePaths.FirstOrDefault(fileExists) ?? "libykcs11.so.2",
            TokenSerial = serial,
            Pin = string.IsNullOrEmpty(pin) ? DefaultPin : pin,
            MaxSessions = maxSessions,
            SecurityOfficerPin = ManagementKey(managementKey),
        };
    }

    // step: hex, 16, 24 or 32 bytes (3DES or AES-128/192/256). ykcs11 takes it as the SO PIN in hex.
    private static string ManagementKey(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return DefaultManagementKey;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(value);
        }
        catch (FormatException)
        {
            throw Pkcs11Settings.Invalid("error decoding management key: it must be hex");
        }
        return bytes.Length is 16 or 24 or 32
            ? Convert.ToHexStringLower(bytes)
            : throw Pkcs11Settings.Invalid($"invalid management key length {bytes.Length}; expected 16, 24 or 32 bytes");
    }
}
