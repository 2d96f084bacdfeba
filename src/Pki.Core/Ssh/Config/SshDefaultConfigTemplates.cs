using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Ssh.Config;

/// <summary>
/// The configuration templates a CA serves when ca.json has no <c>templates</c> block (step-ca
/// templates/values.go <c>DefaultSSHTemplates</c>; <c>step ca init --ssh</c> writes the same set to
/// <c>$STEPPATH/templates/ssh/</c>). Our own template text, written to produce what step's
/// templates produce for the same data:
/// <list type="bullet">
/// <item><c>config.tpl</c> (user, snippet, <c>~/.ssh/config</c>): <c>Host *</c> and
/// <c>Include "&lt;StepBasePath or StepPath&gt;/ssh/includes"</c>; on Windows the path's
/// backslashes become slashes and a <c>C:</c> prefix is dropped (OpenSSH reads <c>Include C:\…</c>
/// as relative).</item>
/// <item><c>step_includes.tpl</c> (user, prepend-line, <c>${STEPPATH}/ssh/includes</c>):
/// <c>Include "&lt;StepPath&gt;/ssh/config"</c>, same Windows rule.</item>
/// <item><c>step_config.tpl</c> (user, file, <c>ssh/config</c>): a <c>Match exec "step ssh
/// check-host [--context C] %h"</c> block with an optional <c>User</c>, the step
/// <c>UserKnownHostsFile</c> and a <c>ProxyCommand step ssh proxycommand [--context C] [--console]
/// [--provisioner P] %r %h %p</c> (through <c>cmd.exe</c> with a backslash path on Windows).</item>
/// <item><c>known_hosts.tpl</c> (user, file, <c>ssh/known_hosts</c>): one
/// <c>@cert-authority * TYPE BASE64</c> line for the host CA key and each federated host key.</item>
/// <item><c>sshd_config.tpl</c> (host, snippet, <c>/etc/ssh/sshd_config</c>, requires
/// <c>Certificate</c> and <c>Key</c>): <c>Match all</c> with <c>TrustedUserCAKeys /etc/ssh/ca.pub</c>,
/// <c>HostCertificate /etc/ssh/&lt;Certificate&gt;</c>, <c>HostKey /etc/ssh/&lt;Key&gt;</c>.</item>
/// <item><c>ca.tpl</c> (host, snippet, <c>/etc/ssh/ca.pub</c>): the user CA key and each federated
/// user key, one <c>TYPE BASE64</c> line each.</item>
/// </list>
/// Unlike step's, the key templates skip a CA key that is not configured instead of failing.
/// </summary>
public static class SshDefaultConfigTemplates
{
    private const string Windows = "{{- $windows := eq (or .User.GOOS \"none\") \"windows\" -}}\n";

    // OpenSSH on Windows reads "Include C:\..." as a relative path: slashes, no drive prefix.
    private const string WindowsPath = "{{ if $windows }}{{ $path = $path | replace \"\\\\\" \"/\" | trimPrefix \"C:\" }}{{ end -}}\n";

    /// <summary>The template texts by name.</summary>
    public static IReadOnlyDictionary<string, string> Texts { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["config.tpl"] = Windows
            + "{{- $path := or .User.StepBasePath .User.StepPath }}" + WindowsPath
            + "Host *\n\tInclude \"{{ $path }}/ssh/includes\"",
        ["step_includes.tpl"] = Windows
            + "{{- $path := .User.StepPath }}" + WindowsPath
            + "Include \"{{ $path }}/ssh/config\"",
        ["step_config.tpl"] = Windows
            + "{{- $context := \"\" }}{{ if .User.Context }}{{ $context = printf \" --context %s\" .User.Context }}{{ end -}}\n"
            + "{{- $proxy := $context }}{{ if .User.Console }}{{ $proxy = printf \"%s --console\" $proxy }}{{ end -}}\n"
            + "{{- if .User.Provisioner }}{{ $proxy = printf \"%s --provisioner %s\" $proxy .User.Provisioner }}{{ end -}}\n"
            + "Match exec \"step ssh check-host{{ $context }} %h\"\n"
            + "{{- if .User.User }}\n\tUser {{ .User.User }}\n{{- end }}\n"
            + "{{- if $windows }}\n"
            + "\tUserKnownHostsFile \"{{ .User.StepPath }}\\ssh\\known_hosts\"\n"
            + "\tProxyCommand C:\\Windows\\System32\\cmd.exe /c step ssh proxycommand{{ $proxy }} %r %h %p\n"
            + "{{- else }}\n"
            + "\tUserKnownHostsFile \"{{ .User.StepPath }}/ssh/known_hosts\"\n"
            + "\tProxyCommand step ssh proxycommand{{ $proxy }} %r %h %p\n"
            + "{{- end }}\n",
        ["known_hosts.tpl"] = KeyLines("@cert-authority * ", "HostKey", "HostFederatedKeys"),
        ["sshd_config.tpl"] = SshdConfig,
        ["ca.tpl"] = KeyLines("", "UserKey", "UserFederatedKeys"),
    };

    // What step writes for sshd_config.tpl, compared without whitespace (see RequiresHostFiles).
    private const string SshdConfig = "Match all\n\tTrustedUserCAKeys /etc/ssh/ca.pub\n\tHostCertificate /etc/ssh/{{.User.Certificate}}\n\tHostKey /etc/ssh/{{.User.Key}}";

    /// <summary>The default template list (name, type, template file under <c>templates/ssh/</c>, target path, comment, requires).</summary>
    public static SshTemplatesConfig Config { get; } = new()
    {
        User =
        [
            Entry("config.tpl", "snippet", "~/.ssh/config"),
            Entry("step_includes.tpl", "prepend-line", "${STEPPATH}/ssh/includes"),
            Entry("step_config.tpl", "file", "ssh/config"),
            Entry("known_hosts.tpl", "file", "ssh/known_hosts"),
        ],
        Host =
        [
            Entry("sshd_config.tpl", "snippet", "/etc/ssh/sshd_config") with { Requires = ["Certificate", "Key"] },
            Entry("ca.tpl", "snippet", "/etc/ssh/ca.pub"),
        ],
    };

    /// <summary>
    /// step-ca's back-fill (templates.go <c>backfill</c>): an <c>sshd_config.tpl</c> with no
    /// <c>requires</c> whose text is the default one (as older <c>step ca init</c> wrote it) requires
    /// <c>Certificate</c> and <c>Key</c>.
    /// </summary>
    public static bool RequiresHostFiles(string name, string text) =>
        string.Equals(name, "sshd_config.tpl", StringComparison.OrdinalIgnoreCase) && WithoutSpaces(text) == WithoutSpaces(SshdConfig);

    private static string WithoutSpaces(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static SshTemplateConfig Entry(string name, string type, string path) =>
        new() { Name = name, Type = type, Template = "templates/ssh/" + name, Path = path, Comment = "#" };

    // The active CA key (skipped when not configured), then one line per federated key, each line
    // ending in a newline.
    private static string KeyLines(string prefix, string key, string federated) =>
        $"{{{{- with .Step.SSH.{key} }}}}{prefix}{{{{ .Type }}}} {{{{ .Marshal | toString | b64enc }}}}{{{{ end }}}}\n"
        + $"{{{{- range .Step.SSH.{federated} }}}}\n{prefix}{{{{ .Type }}}} {{{{ .Marshal | toString | b64enc }}}}\n{{{{- end }}}}\n";
}
