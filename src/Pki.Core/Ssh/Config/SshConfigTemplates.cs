using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Ssh.Config;

/// <summary>
/// The configuration templates a CA serves at <c>POST /ssh/config</c> and the data they render
/// with (authority/ssh.go <c>GetSSHConfig</c>; authority/authority.go <c>init</c>): ca.json
/// <c>templates.data</c> plus <c>.Step.SSH.{HostKey,UserKey,HostFederatedKeys,UserFederatedKeys}</c>,
/// and, when the request sends any data, <c>.User</c> = that data. Immutable; thread-safe.
/// </summary>
public sealed class SshConfigTemplates
{
    /// <summary>The request data key a step CLI of v0.18.0 or later always sends (templates/values.go <c>SSHTemplateVersionKey</c>).</summary>
    public const string TemplateVersionKey = "StepSSHTemplateVersion";

    private readonly IReadOnlyDictionary<string, object?> _data;

    /// <summary>Creates the set from parsed templates and the CA's keys.</summary>
    /// <param name="user">The user (client) templates.</param>
    /// <param name="host">The host (server) templates.</param>
    /// <param name="keys">The CA keys the templates see.</param>
    /// <param name="extraData">ca.json <c>templates.data</c> (a JSON object), or null.</param>
    public SshConfigTemplates(IReadOnlyList<SshConfigTemplate> user, IReadOnlyList<SshConfigTemplate> host, SshTemplateKeys keys, JsonElement? extraData = null)
    {
        User = user ?? throw new ArgumentNullException(nameof(user));
        Host = host ?? throw new ArgumentNullException(nameof(host));
        ArgumentNullException.ThrowIfNull(keys);
        var data = extraData is { ValueKind: JsonValueKind.Object } extra
            ? (Dictionary<string, object?>)TemplateData.FromJson(extra)!
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        data["Step"] = keys.ToTemplateValue();
        _data = data;
    }

    /// <summary>The user (client) templates.</summary>
    public IReadOnlyList<SshConfigTemplate> User { get; }

    /// <summary>The host (server) templates.</summary>
    public IReadOnlyList<SshConfigTemplate> Host { get; }

    /// <summary>
    /// Loads ca.json's <c>templates</c> block, or <see cref="SshDefaultConfigTemplates"/> when there
    /// is none (step-ca uses <c>DefaultTemplates()</c> then). Template files are read and parsed now,
    /// so a broken one stops the start (step-ca would fail every request later).
    /// </summary>
    /// <param name="config">ca.json <c>templates</c>, or null.</param>
    /// <param name="resolveTemplatePath">Resolves a <c>template</c> path as step's <c>step.Abs</c> does.</param>
    /// <param name="keys">The CA keys the templates see.</param>
    /// <exception cref="CaConfigException">A template file cannot be read or does not parse.</exception>
    public static SshConfigTemplates Load(TemplatesConfig? config, Func<string, string> resolveTemplatePath, SshTemplateKeys keys)
    {
        ArgumentNullException.ThrowIfNull(resolveTemplatePath);
        if (config is null)
        {
            var defaults = SshDefaultConfigTemplates.Config;
            return new SshConfigTemplates(Defaults(defaults.User!), Defaults(defaults.Host!), keys);
        }
        return new SshConfigTemplates(LoadList(config.Ssh?.User, "user", resolveTemplatePath), LoadList(config.Ssh?.Host, "host", resolveTemplatePath), keys, config.Data);
    }

    /// <summary>
    /// Renders the templates of <paramref name="type"/> for a request (authority/ssh.go <c>GetSSHConfig</c>).
    /// </summary>
    /// <param name="type"><c>user</c> or <c>host</c>.</param>
    /// <param name="requestData">The request's <c>data</c> (empty when none).</param>
    /// <param name="time">The clock templates see.</param>
    /// <exception cref="PkiException">BadRequest: another type, a missing required key, or a template that fails.</exception>
    public IReadOnlyList<SshConfigOutput> Render(string type, IReadOnlyDictionary<string, string> requestData, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(requestData);
        var templates = type switch
        {
            "user" => User,
            "host" => Host,
            _ => throw PkiException.BadRequest($"invalid certificate type '{type}'"),
        };
        // .User only when the request has data; ca.json's data keys sit beside it.
        object data = _data;
        if (requestData.Count > 0)
        {
            data = new Dictionary<string, object?>(_data, StringComparer.Ordinal)
            {
                ["User"] = requestData.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal),
            };
        }
        var outputs = new List<SshConfigOutput>(templates.Count);
        foreach (var template in templates)
        {
            var output = template.Render(requestData, data, time);
            // Clients older than step v0.18.0 send no version and expect step_includes.tpl as a
            // file relative to STEPPATH.
            if (output.Name == "step_includes.tpl" && (!requestData.TryGetValue(TemplateVersionKey, out var version) || version.Length == 0))
            {
                output = output with { Type = "file", Path = output.Path.StartsWith("${STEPPATH}/", StringComparison.Ordinal) ? output.Path["${STEPPATH}/".Length..] : output.Path };
            }
            outputs.Add(output);
        }
        return outputs;
    }

    private static List<SshConfigTemplate> Defaults(IReadOnlyList<SshTemplateConfig> entries) =>
        entries.Select(e => SshConfigTemplate.Parse(e with { Template = string.Empty }, SshDefaultConfigTemplates.Texts[e.Name])).ToList();

    private static List<SshConfigTemplate> LoadList(IReadOnlyList<SshTemplateConfig>? entries, string set, Func<string, string> resolve)
    {
        var list = new List<SshConfigTemplate>();
        for (var i = 0; i < entries?.Count; i++)
        {
            var entry = entries[i];
            var field = $"templates.ssh.{set}[{i}].template";
            string? text = null;
            if (entry.Type != "directory")
            {
                var path = resolve(entry.Template);
                try
                {
                    text = File.ReadAllText(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(field, $"error reading {path}: {e.Message}")]);
                }
            }
            try
            {
                list.Add(SshConfigTemplate.Parse(entry, text));
            }
            catch (TemplateException e)
            {
                throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(field, $"error parsing template {entry.Name}: {e.Message}")]);
            }
        }
        return list;
    }
}
