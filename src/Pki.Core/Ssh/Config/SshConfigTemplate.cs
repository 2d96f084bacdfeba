using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Ssh.Config;

/// <summary>
/// One parsed entry of ca.json <c>templates.ssh.user</c>/<c>.host</c> (templates/templates.go
/// <c>Template</c>): rendered for <c>POST /ssh/config</c>. Immutable; thread-safe.
/// </summary>
public sealed class SshConfigTemplate
{
    private readonly GoTemplate? _template;

    private SshConfigTemplate(SshTemplateConfig config, GoTemplate? template, IReadOnlyList<string> requires)
    {
        Name = config.Name;
        Type = config.Type;
        Path = config.Path;
        // Template.Validate: a file-backed template without a comment gets "#".
        Comment = config.Comment.Length == 0 && config.Template.Length > 0 ? "#" : config.Comment;
        Requires = requires;
        _template = template;
    }

    /// <summary><c>name</c>.</summary>
    public string Name { get; }

    /// <summary><c>type</c>: <c>snippet</c>, <c>prepend-line</c>, <c>file</c> or <c>directory</c>.</summary>
    public string Type { get; }

    /// <summary><c>path</c>: where the client writes the output.</summary>
    public string Path { get; }

    /// <summary><c>comment</c>: the comment prefix.</summary>
    public string Comment { get; }

    /// <summary><c>requires</c>: request data keys that must be present.</summary>
    public IReadOnlyList<string> Requires { get; }

    /// <summary>Parses an entry whose template text has been read (null for a <c>directory</c>).</summary>
    /// <exception cref="TemplateException">The text does not parse.</exception>
    public static SshConfigTemplate Parse(SshTemplateConfig config, string? text)
    {
        ArgumentNullException.ThrowIfNull(config);
        var template = config.Type == "directory" || text is null ? null : GoTemplate.Parse(config.Name, text);
        var requires = config.Requires is { Count: > 0 } listed ? listed
            : text is not null && SshDefaultConfigTemplates.RequiresHostFiles(config.Name, text) ? ["Certificate", "Key"] : [];
        return new SshConfigTemplate(config, template, requires);
    }

    /// <summary>
    /// Checks <see cref="Requires"/> against the request data and renders (authority/ssh.go
    /// <c>GetSSHConfig</c>, templates.go <c>Output</c>).
    /// </summary>
    /// <exception cref="PkiException">BadRequest: a required key is missing, the template called <c>fail</c>, or it failed to render.</exception>
    public SshConfigOutput Render(IReadOnlyDictionary<string, string> requestData, object data, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(requestData);
        foreach (var key in Requires)
        {
            if (!requestData.ContainsKey(key))
            {
                throw PkiException.BadRequest($"required variable '{key}' is missing, please use `--set <key=value>` flag");
            }
        }
        if (_template is null)
        {
            return new SshConfigOutput(Name, Type, Path, Comment, null);
        }
        try
        {
            return new SshConfigOutput(Name, Type, Path, Comment, GoByteString.ToBytes(_template.Render(data, time)));
        }
        catch (TemplateFailException e)
        {
            throw PkiException.BadRequest(e.FailMessage, e);
        }
        catch (TemplateException e)
        {
            // step-ca answers 500 here; a template that cannot render the request's data is the
            // request's problem as far as the client can act on it (see docs/ssh.md).
            throw PkiException.BadRequest($"error executing template {Name}: {e.Reason}", e);
        }
    }
}
