using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Keys;

/// <summary>
/// The registered key managers, by <c>kms.type</c> and by key URI scheme (both case-insensitive).
/// A key name without a scheme (a file path, <c>C:\...</c>) belongs to <c>softkms</c>, as in step.
/// Immutable and thread-safe.
/// </summary>
public sealed class KeyManagerRegistry
{
    /// <summary>The type and scheme of plain key paths.</summary>
    public const string SoftKmsType = "softkms";

    // The key URI schemes of step's key managers (go.step.sm/crypto kms/apiv1 types).
    private static readonly HashSet<string> StepSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        SoftKmsType, "pkcs11", "yubikey", "awskms", "cloudkms", "azurekms", "sshagentkms", "capi", "tpmkms", "mackms",
    };

    private readonly Dictionary<string, KeyManagerRegistration> _byType = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, KeyManagerRegistration> _byScheme = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Indexes <paramref name="registrations"/>; the first registration of a type or scheme wins.</summary>
    public KeyManagerRegistry(IEnumerable<KeyManagerRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        foreach (var registration in registrations)
        {
            _byType.TryAdd(registration.Type, registration);
            foreach (var scheme in registration.UriSchemes)
            {
                _byScheme.TryAdd(scheme, registration);
            }
        }
    }

    /// <summary>The registered <c>kms.type</c> names.</summary>
    public IReadOnlyCollection<string> Types => _byType.Keys;

    /// <summary>The registration for a <c>kms.type</c>, or null.</summary>
    public KeyManagerRegistration? FindByType(string type) => _byType.GetValueOrDefault(type);

    /// <summary>The registration opening keys with this URI scheme, or null.</summary>
    public KeyManagerRegistration? FindByScheme(string scheme) => _byScheme.GetValueOrDefault(scheme);

    /// <summary>
    /// The scheme of a key name as step's <c>kms/uri</c> sees it: the part before the first colon
    /// when it looks like a URI scheme (RFC 3986 §3.1, longer than one letter so a Windows drive is a
    /// path), else <see cref="SoftKmsType"/>.
    /// </summary>
    public static string SchemeOf(string keyName)
    {
        ArgumentNullException.ThrowIfNull(keyName);
        var colon = keyName.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2 || !char.IsAsciiLetter(keyName[0]))
        {
            return SoftKmsType;
        }
        for (var i = 1; i < colon; i++)
        {
            var c = keyName[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return SoftKmsType;
            }
        }
        return keyName[..colon].ToLowerInvariant();
    }

    /// <summary>
    /// Where step routes a key name: the scheme it names when it has one that is registered or is one
    /// of step's key manager schemes (so an unregistered <c>yubikey:</c> is reported, not misrouted);
    /// otherwise (a plain name or path, a Cloud KMS resource name, an AWS key ARN) the <c>kms</c>
    /// block's type, because step-ca hands every key to that manager. Without a <c>kms</c> block that
    /// type is <see cref="SoftKmsType"/>, where a plain name is a file path.
    /// </summary>
    /// <param name="keyName">The key name from ca.json.</param>
    /// <param name="kmsType">The <c>kms</c> block's type, or <see cref="SoftKmsType"/> without one.</param>
    /// <returns>The type or scheme to look up, and whether the key named it itself (else it is the kms block's).</returns>
    public (string TypeOrScheme, bool Named) Route(string keyName, string kmsType)
    {
        ArgumentNullException.ThrowIfNull(kmsType);
        var scheme = SchemeOf(keyName);
        var named = scheme != SoftKmsType || keyName.StartsWith(SoftKmsType + ":", StringComparison.OrdinalIgnoreCase);
        if (named && (FindByScheme(scheme) is not null || FindByType(scheme) is not null || StepSchemes.Contains(scheme)))
        {
            return (scheme, true);
        }
        return (kmsType, false);
    }

    /// <summary>The start-up error for a <c>kms.type</c> or key scheme nobody registered, naming the call that would.</summary>
    internal static string MissingMessage(string what, string name) =>
        $"no key manager is registered for {what} \"{name}\": {Startup.RegistrationHints.KeyManager(name)}";

    /// <summary>The <c>kms</c> block a key manager chosen only by scheme is created with.</summary>
    internal static KmsConfig ImpliedConfig(string type) => new() { Type = type };
}
