using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>The ca.json <c>ssh</c> block: SSH CA keys (authority/config/ssh.go <c>SSHConfig</c>).</summary>
public sealed record SshConfig
{
    /// <summary><c>hostKey</c>: path or KMS URI of the key that signs host certificates.</summary>
    public string HostKey { get; init; } = string.Empty;

    /// <summary><c>userKey</c>: path or KMS URI of the key that signs user certificates.</summary>
    public string UserKey { get; init; } = string.Empty;

    /// <summary><c>keys</c>: extra (federated or old) public keys.</summary>
    public IReadOnlyList<SshPublicKeyConfig>? Keys { get; init; }

    /// <summary><c>addUserPrincipal</c>: principal added to user certificates for provisioning users.</summary>
    public string? AddUserPrincipal { get; init; }

    /// <summary><c>addUserCommand</c>: force-command for that principal.</summary>
    public string? AddUserCommand { get; init; }

    /// <summary><c>bastion</c>: bastion host returned by <c>/ssh/bastion</c>.</summary>
    public SshBastionConfig? Bastion { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static SshConfig Read(ConfigObjectReader r) => new()
    {
        HostKey = r.String("hostKey") ?? string.Empty,
        UserKey = r.String("userKey") ?? string.Empty,
        Keys = r.Objects("keys", SshPublicKeyConfig.Read),
        AddUserPrincipal = r.String("addUserPrincipal"),
        AddUserCommand = r.String("addUserCommand"),
        Bastion = r.Object("bastion", SshBastionConfig.Read),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("hostKey", HostKey);
        w.WriteString("userKey", UserKey);
        if (Keys is { Count: > 0 })
        {
            w.WriteStartArray("keys");
            foreach (var key in Keys)
            {
                key.Write(w);
            }
            w.WriteEndArray();
        }
        w.StringIfSet("addUserPrincipal", AddUserPrincipal);
        w.StringIfSet("addUserCommand", AddUserCommand);
        if (Bastion is not null)
        {
            w.WritePropertyName("bastion");
            Bastion.Write(w);
        }
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}

/// <summary>An entry of <c>ssh.keys</c>: a public key as a JWK (authority/config/ssh.go <c>SSHPublicKey</c>).</summary>
public sealed record SshPublicKeyConfig
{
    /// <summary><c>type</c>: <c>user</c> or <c>host</c>.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary><c>federated</c>: served as a federated key rather than an old own key.</summary>
    public bool Federated { get; init; }

    /// <summary><c>key</c>: the public JWK.</summary>
    public JsonElement? Key { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static SshPublicKeyConfig Read(ConfigObjectReader r) => new()
    {
        Type = r.String("type") ?? string.Empty,
        Federated = r.Boolean("federated") ?? false,
        Key = r.Raw("key"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", Type);
        w.WriteBoolean("federated", Federated);
        w.WritePropertyName("key");
        if (Key is { } key)
        {
            key.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}

/// <summary>The <c>ssh.bastion</c> block (authority/config/ssh.go <c>Bastion</c>).</summary>
public sealed record SshBastionConfig
{
    /// <summary><c>hostname</c>.</summary>
    public string Hostname { get; init; } = string.Empty;

    /// <summary><c>user</c>.</summary>
    public string? User { get; init; }

    /// <summary><c>port</c> (a string in step-ca).</summary>
    public string? Port { get; init; }

    /// <summary><c>cmd</c>.</summary>
    public string? Command { get; init; }

    /// <summary><c>flags</c>.</summary>
    public string? Flags { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static SshBastionConfig Read(ConfigObjectReader r) => new()
    {
        Hostname = r.String("hostname") ?? string.Empty,
        User = r.String("user"),
        Port = r.String("port"),
        Command = r.String("cmd"),
        Flags = r.String("flags"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("hostname", Hostname);
        w.StringIfSet("user", User);
        w.StringIfSet("port", Port);
        w.StringIfSet("cmd", Command);
        w.StringIfSet("flags", Flags);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
