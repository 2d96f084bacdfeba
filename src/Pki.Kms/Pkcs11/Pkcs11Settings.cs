using System.Globalization;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.KeyUris;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>
/// Which PKCS#11 module and token a manager opens and how it logs in, read from ca.json's
/// <c>kms</c> block as go.step.sm/crypto <c>kms/pkcs11.New</c> does: <c>kms.uri</c>
/// (<c>pkcs11:module-path=...;token=...|serial=...|slot-id=...;max-sessions=...?pin-value=...|pin-source=...</c>)
/// takes precedence; <c>kms.pin</c> is used only when the URI carries no PIN. Without any PIN
/// attribute the token is used without logging in (step's <c>LoginNotSupported</c>).
/// <see cref="ToString"/> never shows the PIN.
/// </summary>
internal sealed record Pkcs11Settings
{
    /// <summary>step's default: p11-kit's proxy module, found by the dynamic loader.</summary>
    public const string DefaultModule = "p11-kit-proxy.so";

    /// <summary>crypto11's default session limit.</summary>
    public const int DefaultMaxSessions = 1024;

    /// <summary>The module (a path or a name the dynamic loader finds).</summary>
    public required string ModulePath { get; init; }

    /// <summary><c>token</c>: the token label (CKA_LABEL of the token), or null.</summary>
    public string? TokenLabel { get; init; }

    /// <summary><c>serial</c>: the token serial number, or null.</summary>
    public string? TokenSerial { get; init; }

    /// <summary><c>slot-id</c>: the slot id, or null.</summary>
    public ulong? SlotId { get; init; }

    /// <summary>The user PIN, or null to use the token without login.</summary>
    public string? Pin { get; init; }

    /// <summary><c>max-sessions</c>: the most sessions opened at once (concurrent operations).</summary>
    public int MaxSessions { get; init; } = DefaultMaxSessions;

    /// <summary>The PIN for key creation as the security officer (ykcs11's management key); null logs in as user.</summary>
    public string? SecurityOfficerPin { get; init; }

    /// <summary>Reads a pkcs11 <c>kms</c> block.</summary>
    /// <exception cref="CaConfigException">The block is unusable; the diagnostic names <c>kms.uri</c>.</exception>
    public static Pkcs11Settings FromKms(KmsConfig kms)
    {
        ArgumentNullException.ThrowIfNull(kms);
        if (string.IsNullOrEmpty(kms.Uri))
        {
            throw Invalid("pkcs11 needs kms.uri naming the module and token, e.g. pkcs11:module-path=/usr/lib/softhsm/libsofthsm2.so;token=ca?pin-source=/etc/step-ca/pin.txt");
        }
        try
        {
            var uri = KmsUri.Parse(kms.Uri, "pkcs11");
            var pin = uri.Pin();
            if (string.IsNullOrEmpty(pin) && !string.IsNullOrEmpty(kms.Pin))
            {
                pin = kms.Pin;
            }
            var loginNotSupported = string.IsNullOrEmpty(pin) && !uri.Has("pin-value") && !uri.Has("pin-source");
            var settings = new Pkcs11Settings
            {
                ModulePath = uri.Get("module-path") is { Length: > 0 } module ? module : DefaultModule,
                TokenLabel = NullIfEmpty(uri.Get("token")),
                TokenSerial = NullIfEmpty(uri.Get("serial")),
                SlotId = Number(uri, "slot-id", ulong.MaxValue) is { } slot ? (ulong)slot : null,
                MaxSessions = (int)(Number(uri, "max-sessions", 1 << 16) ?? DefaultMaxSessions),
                Pin = loginNotSupported ? null : pin ?? string.Empty,
            };
            var selectors = (settings.TokenLabel is null ? 0 : 1) + (settings.TokenSerial is null ? 0 : 1) + (settings.SlotId is null ? 0 : 1);
            return selectors switch
            {
                0 => throw Invalid("kms uri 'token', 'serial' or 'slot-id' is required"),
                > 1 => throw Invalid("kms uri 'token', 'serial' and 'slot-id' are mutually exclusive"),
                _ when settings.MaxSessions < 1 => throw Invalid("kms uri 'max-sessions' must be at least 1"),
                _ => settings,
            };
        }
        catch (PkiException e)
        {
            throw Invalid(e.Message);
        }
    }

    /// <summary>The token as the URI selects it, for messages: <c>token "ca"</c>, <c>serial 1a2b</c>, <c>slot-id 5</c>.</summary>
    public string TokenDescription => TokenLabel is not null ? $"token \"{TokenLabel}\""
        : TokenSerial is not null ? $"token serial {TokenSerial}"
        : SlotId is not null ? $"slot-id {SlotId}"
        : "token";

    /// <summary>No label, serial or slot: the first slot with a token (the YubiKey manager without <c>serial</c>).</summary>
    public bool FirstToken => TokenLabel is null && TokenSerial is null && SlotId is null;

    /// <summary>Module and token only.</summary>
    public override string ToString() => $"pkcs11 module {ModulePath}, {TokenDescription}";

    /// <summary>The start-up error for a bad pkcs11 <c>kms</c> block.</summary>
    public static CaConfigException Invalid(string message) => new("ca.json", [ConfigDiagnostic.Error("kms.uri", message)]);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // step's strconv.Atoi: decimal digits only; a bound keeps hostile values from overflowing.
    private static ulong? Number(KmsUri uri, string key, ulong max)
    {
        var value = uri.Get(key);
        if (value.Length == 0)
        {
            return null;
        }
        if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > max)
        {
            throw PkiException.BadRequest($"kms uri '{key}' is not valid");
        }
        return number;
    }
}
