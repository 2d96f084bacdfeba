using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The ca.json <c>kms</c> block: which key manager holds the CA keys
/// ([crypto] kms/apiv1/options.go <c>Options</c>). Absent means softkms (encrypted PEM files).
/// </summary>
public sealed record KmsConfig
{
    /// <summary>Every <c>kms.type</c> step-ca accepts ([crypto] kms/apiv1/options.go <c>Type.Validate</c>).</summary>
    public static IReadOnlySet<string> KnownTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "softkms", "cloudkms", "awskms", "pkcs11", "yubikey", "sshagentkms", "azurekms", "capi", "tpmkms", "mackms", "kms",
    };

    /// <summary><c>type</c>, e.g. <c>pkcs11</c>; may be empty when <see cref="Uri"/> names the type.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary><c>credentialsFile</c> (cloudkms, awskms).</summary>
    public string? CredentialsFile { get; init; }

    /// <summary><c>uri</c>: KMS connection URI such as <c>pkcs11:module-path=...;token=...</c>.</summary>
    public string? Uri { get; init; }

    /// <summary><c>pin</c> (pkcs11, yubikey).</summary>
    public string? Pin { get; init; }

    /// <summary><c>managementKey</c> (yubikey).</summary>
    public string? ManagementKey { get; init; }

    /// <summary><c>region</c> (awskms).</summary>
    public string? Region { get; init; }

    /// <summary><c>profile</c> (awskms).</summary>
    public string? Profile { get; init; }

    /// <summary><c>storageDirectory</c> (tpmkms).</summary>
    public string? StorageDirectory { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary>
    /// The KMS type in lower case: <see cref="Type"/> if set, else the scheme of <see cref="Uri"/>,
    /// else <c>softkms</c> (<c>Options.GetType</c>).
    /// </summary>
    public string EffectiveType
    {
        get
        {
            if (Type.Length > 0)
            {
                return Type.ToLowerInvariant();
            }
            var colon = Uri?.IndexOf(':') ?? -1;
            return colon > 0 ? Uri![..colon].ToLowerInvariant() : "softkms";
        }
    }

    /// <summary>The type only: the URI, PIN and management key may hold secrets.</summary>
    public override string ToString() => $"KmsConfig {{ Type = {EffectiveType} }}";

    internal static KmsConfig Read(ConfigObjectReader r) => new()
    {
        Type = r.String("type") ?? string.Empty,
        CredentialsFile = r.String("credentialsFile"),
        Uri = r.String("uri"),
        Pin = r.String("pin"),
        ManagementKey = r.String("managementKey"),
        Region = r.String("region"),
        Profile = r.String("profile"),
        StorageDirectory = r.String("storageDirectory"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", Type);
        w.StringIfSet("credentialsFile", CredentialsFile);
        w.StringIfSet("uri", Uri);
        w.StringIfSet("pin", Pin);
        w.StringIfSet("managementKey", ManagementKey);
        w.StringIfSet("region", Region);
        w.StringIfSet("profile", Profile);
        w.StringIfSet("storageDirectory", StorageDirectory);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
