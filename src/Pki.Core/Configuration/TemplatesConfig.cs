using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The ca.json <c>templates</c> block: SSH client/server configuration templates served by
/// <c>/ssh/config</c> and extra template data (templates/templates.go <c>Templates</c>).
/// </summary>
public sealed record TemplatesConfig
{
    /// <summary><c>ssh</c>: the user and host template lists.</summary>
    public SshTemplatesConfig? Ssh { get; init; }

    /// <summary><c>data</c>: extra variables for the templates (a JSON object); may not define <c>Step</c> or <c>User</c>.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static TemplatesConfig Read(ConfigObjectReader r) => new()
    {
        Ssh = r.Object("ssh", SshTemplatesConfig.Read),
        Data = r.RawObject("data"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        if (Ssh is not null)
        {
            w.WritePropertyName("ssh");
            Ssh.Write(w);
        }
        if (Data is { } data && data.EnumerateObject().Any())
        {
            w.WritePropertyName("data");
            data.WriteTo(w);
        }
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}

/// <summary>The <c>templates.ssh</c> block (templates/templates.go <c>SSHTemplates</c>).</summary>
public sealed record SshTemplatesConfig
{
    /// <summary><c>user</c>: templates for user (client) configuration.</summary>
    public IReadOnlyList<SshTemplateConfig>? User { get; init; }

    /// <summary><c>host</c>: templates for host (server) configuration.</summary>
    public IReadOnlyList<SshTemplateConfig>? Host { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static SshTemplatesConfig Read(ConfigObjectReader r) => new()
    {
        User = r.Objects("user", SshTemplateConfig.Read),
        Host = r.Objects("host", SshTemplateConfig.Read),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        WriteList(w, "user", User);
        WriteList(w, "host", Host);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<SshTemplateConfig>? list)
    {
        if (list is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartArray(name);
        foreach (var template in list)
        {
            template.Write(w);
        }
        w.WriteEndArray();
    }
}

/// <summary>One SSH configuration template (templates/templates.go <c>Template</c>).</summary>
public sealed record SshTemplateConfig
{
    /// <summary>The template types step-ca accepts.</summary>
    public static IReadOnlySet<string> KnownTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "snippet", "prepend-line", "file", "directory" };

    /// <summary><c>name</c>, e.g. <c>config.tpl</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>type</c>: <c>snippet</c>, <c>prepend-line</c>, <c>file</c> or <c>directory</c>.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary><c>template</c>: template file, resolved like <c>step.Abs</c> (relative to STEPPATH).</summary>
    public string Template { get; init; } = string.Empty;

    /// <summary><c>path</c>: where the client writes the output (not resolved by the CA).</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary><c>comment</c>: comment prefix; step-ca uses <c>#</c> when empty.</summary>
    public string Comment { get; init; } = string.Empty;

    /// <summary><c>requires</c>: request data keys that must be present.</summary>
    public IReadOnlyList<string>? Requires { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    internal static SshTemplateConfig Read(ConfigObjectReader r) => new()
    {
        Name = r.String("name") ?? string.Empty,
        Type = r.String("type") ?? string.Empty,
        Template = r.String("template") ?? string.Empty,
        Path = r.String("path") ?? string.Empty,
        Comment = r.String("comment") ?? string.Empty,
        Requires = r.Strings("requires"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("name", Name);
        w.WriteString("type", Type);
        w.WriteString("template", Template);
        w.WriteString("path", Path);
        w.WriteString("comment", Comment);
        w.StringsIfSet("requires", Requires);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
