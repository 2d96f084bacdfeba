using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The <c>authority.policy</c> block: which names the CA may certify (authority/policy/options.go).
/// Only the shape is checked here; the policy engine interprets the rules.
/// </summary>
public sealed record PolicyConfig
{
    /// <summary><c>x509</c>: rules for X.509 certificates.</summary>
    public X509PolicyConfig? X509 { get; init; }

    /// <summary><c>ssh</c>: rules for SSH user and host certificates.</summary>
    public SshPolicyConfig? Ssh { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static PolicyConfig Read(ConfigObjectReader r) => new()
    {
        X509 = r.Object("x509", X509PolicyConfig.Read),
        Ssh = r.Object("ssh", SshPolicyConfig.Read),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.ObjectIfSet("x509", X509, static (x, w) => x.Write(w));
        w.ObjectIfSet("ssh", Ssh, static (s, w) => s.Write(w));
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}

/// <summary>The <c>policy.x509</c> block.</summary>
public sealed record X509PolicyConfig
{
    /// <summary><c>allow</c>: names that may be certified.</summary>
    public X509NamesConfig? Allow { get; init; }

    /// <summary><c>deny</c>: names that may not be certified (checked first).</summary>
    public X509NamesConfig? Deny { get; init; }

    /// <summary><c>allowWildcardNames</c>: whether literal <c>*.example.com</c> names may be certified.</summary>
    public bool AllowWildcardNames { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static X509PolicyConfig Read(ConfigObjectReader r) => new()
    {
        Allow = r.Object("allow", X509NamesConfig.Read),
        Deny = r.Object("deny", X509NamesConfig.Read),
        AllowWildcardNames = r.Boolean("allowWildcardNames") ?? false,
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.ObjectIfSet("allow", Allow, static (n, w) => n.Write(w));
        w.ObjectIfSet("deny", Deny, static (n, w) => n.Write(w));
        w.TrueIfSet("allowWildcardNames", AllowWildcardNames);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}

/// <summary>An X.509 <c>allow</c>/<c>deny</c> list (policy.X509NameOptions).</summary>
public sealed record X509NamesConfig
{
    /// <summary><c>cn</c>: subject common names.</summary>
    public IReadOnlyList<string>? CommonNames { get; init; }

    /// <summary><c>dns</c>: DNS names, <c>*.example.com</c> for one extra label.</summary>
    public IReadOnlyList<string>? Dns { get; init; }

    /// <summary><c>ip</c>: IP addresses or CIDR ranges.</summary>
    public IReadOnlyList<string>? Ip { get; init; }

    /// <summary><c>email</c>: mailboxes or <c>@domain</c>.</summary>
    public IReadOnlyList<string>? Email { get; init; }

    /// <summary><c>uri</c>: URI host names.</summary>
    public IReadOnlyList<string>? Uri { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static X509NamesConfig Read(ConfigObjectReader r) => new()
    {
        CommonNames = r.Strings("cn"),
        Dns = r.Strings("dns"),
        Ip = r.Strings("ip"),
        Email = r.Strings("email"),
        Uri = r.Strings("uri"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.StringsIfSet("cn", CommonNames);
        w.StringsIfSet("dns", Dns);
        w.StringsIfSet("ip", Ip);
        w.StringsIfSet("email", Email);
        w.StringsIfSet("uri", Uri);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}

/// <summary>The <c>policy.ssh</c> block.</summary>
public sealed record SshPolicyConfig
{
    /// <summary><c>user</c>: rules for user certificates.</summary>
    public SshCertificatePolicyConfig? User { get; init; }

    /// <summary><c>host</c>: rules for host certificates.</summary>
    public SshCertificatePolicyConfig? Host { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static SshPolicyConfig Read(ConfigObjectReader r) => new()
    {
        User = r.Object("user", SshCertificatePolicyConfig.Read),
        Host = r.Object("host", SshCertificatePolicyConfig.Read),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.ObjectIfSet("user", User, static (p, w) => p.Write(w));
        w.ObjectIfSet("host", Host, static (p, w) => p.Write(w));
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}

/// <summary>The <c>policy.ssh.user</c> or <c>policy.ssh.host</c> block.</summary>
public sealed record SshCertificatePolicyConfig
{
    /// <summary><c>allow</c>: principals that may be certified.</summary>
    public SshNamesConfig? Allow { get; init; }

    /// <summary><c>deny</c>: principals that may not be certified.</summary>
    public SshNamesConfig? Deny { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static SshCertificatePolicyConfig Read(ConfigObjectReader r) => new()
    {
        Allow = r.Object("allow", SshNamesConfig.Read),
        Deny = r.Object("deny", SshNamesConfig.Read),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.ObjectIfSet("allow", Allow, static (n, w) => n.Write(w));
        w.ObjectIfSet("deny", Deny, static (n, w) => n.Write(w));
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}

/// <summary>An SSH <c>allow</c>/<c>deny</c> list (policy.SSHNameOptions).</summary>
public sealed record SshNamesConfig
{
    /// <summary><c>dns</c>: host names.</summary>
    public IReadOnlyList<string>? Dns { get; init; }

    /// <summary><c>ip</c>: IP addresses or CIDR ranges.</summary>
    public IReadOnlyList<string>? Ip { get; init; }

    /// <summary><c>email</c>: mailboxes or <c>@domain</c>.</summary>
    public IReadOnlyList<string>? Email { get; init; }

    /// <summary><c>principal</c>: literal principals, <c>*</c> for any.</summary>
    public IReadOnlyList<string>? Principal { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static SshNamesConfig Read(ConfigObjectReader r) => new()
    {
        Dns = r.Strings("dns"),
        Ip = r.Strings("ip"),
        Email = r.Strings("email"),
        Principal = r.Strings("principal"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.StringsIfSet("dns", Dns);
        w.StringsIfSet("ip", Ip);
        w.StringsIfSet("email", Email);
        w.StringsIfSet("principal", Principal);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
