using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Pkcs11;
using Smallstep.Pki.Kms.YubiKey;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the hardware key managers: PKCS#11 modules (HSMs, SoftHSM2, TPM2) and YubiKey PIV.</summary>
public static class Pkcs11KmsPkiBuilderExtensions
{
    /// <summary>pkcs11: <c>kms.type</c> <c>pkcs11</c> and <c>pkcs11:</c> key URIs; the token comes from <c>kms.uri</c>.</summary>
    public static KeyManagerRegistration Pkcs11Registration { get; } = new("pkcs11", ["pkcs11"],
        (context, _) => ValueTask.FromResult<IKeyManager>(Pkcs11KeyManagerFactory.Open(Pkcs11Settings.FromKms(context.Kms), Pkcs11UriKeyNaming.Instance, context.Services)))
    {
        AddMethod = "AddPkcs11Kms()",
    };

    /// <summary>yubikey: <c>kms.type</c> <c>yubikey</c> and <c>yubikey:slot-id=..</c> key URIs, through Yubico's PKCS#11 module (ykcs11).</summary>
    public static KeyManagerRegistration YubiKeyRegistration { get; } = new("yubikey", ["yubikey"],
        (context, _) => ValueTask.FromResult<IKeyManager>(Pkcs11KeyManagerFactory.Open(YubiKeySettings.FromKms(context.Kms), YubiKeyKeyNaming.Instance, context.Services)))
    {
        AddMethod = "AddYubiKeyKms()",
    };

    /// <summary>
    /// Registers the PKCS#11 key manager (<see cref="Pkcs11Registration"/>): the authority opens the
    /// module and token <c>kms.uri</c> names at start-up (a missing module or token or a wrong PIN
    /// stops the start naming <c>kms.uri</c>) and again on each reload. Idempotent.
    /// </summary>
    /// <param name="builder">The CA builder from <c>AddPki()</c>.</param>
    public static PkiBuilder AddPkcs11Kms(this PkiBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddKeyManager(Pkcs11Registration);
    }

    /// <summary>
    /// Registers the YubiKey PIV key manager (<see cref="YubiKeyRegistration"/>), which reaches the
    /// YubiKey through Yubico's ykcs11 module. Idempotent.
    /// </summary>
    /// <param name="builder">The CA builder from <c>AddPki()</c>.</param>
    public static PkiBuilder AddYubiKeyKms(this PkiBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddKeyManager(YubiKeyRegistration);
    }
}
