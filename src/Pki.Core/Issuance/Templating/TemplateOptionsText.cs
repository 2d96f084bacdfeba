using System.Text;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>
/// The template text a provisioner's <c>options.x509</c> or <c>options.ssh</c> names
/// (authority/provisioner/options.go <c>CustomTemplateOptions</c>, ssh_options.go
/// <c>CustomSSHTemplateOptions</c>): <c>template</c> as JSON text (starting with <c>{</c>) or base64
/// of it, else the file <c>templateFile</c>.
/// </summary>
internal static class TemplateOptionsText
{
    /// <summary>Reads the text; the caller has checked <see cref="TemplateOptionsConfig.HasTemplate"/>.</summary>
    /// <exception cref="CaConfigException">Not base64, unreadable, or larger than the template limit allows.</exception>
    public static (string Member, string Text) Read(TemplateOptionsConfig options, string field, Func<string, string> resolvePath, TemplateLimits limits)
    {
        if (!string.IsNullOrWhiteSpace(options.Template))
        {
            var template = options.Template.Trim();
            if (template.StartsWith('{'))
            {
                return ("template", template);
            }
            try
            {
                return ("template", Encoding.UTF8.GetString(Convert.FromBase64String(template)));
            }
            catch (FormatException)
            {
                throw new CaConfigException("ca.json", [ConfigDiagnostic.Error($"{field}.template", "error decoding template: not JSON text and not base64")]);
            }
        }
        var path = resolvePath(options.TemplateFile!);
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > limits.MaxTemplateChars * 4L)
            {
                throw new CaConfigException("ca.json", [ConfigDiagnostic.Error($"{field}.templateFile", $"{path} is larger than the template limit")]);
            }
            return ("templateFile", File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error($"{field}.templateFile", $"error reading {path}: {e.Message}")]);
        }
    }
}
