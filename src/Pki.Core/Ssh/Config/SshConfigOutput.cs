namespace Smallstep.Pki.Ssh.Config;

/// <summary>
/// One rendered configuration template, as <c>POST /ssh/config</c> returns it (templates/templates.go
/// <c>Output</c>): the client writes <see cref="Content"/> to <see cref="Path"/> the way
/// <see cref="Type"/> says.
/// </summary>
/// <param name="Name">The template's name, e.g. <c>known_hosts.tpl</c>.</param>
/// <param name="Type"><c>snippet</c>, <c>prepend-line</c>, <c>file</c> or <c>directory</c>.</param>
/// <param name="Path">Where the client writes it (<c>~/</c>, <c>${STEPPATH}</c> and relative paths are the client's to resolve).</param>
/// <param name="Comment">The comment prefix the client marks snippets with.</param>
/// <param name="Content">The rendered bytes; null for a directory (Go's nil <c>[]byte</c>, JSON <c>null</c>).</param>
public sealed record SshConfigOutput(string Name, string Type, string Path, string Comment, byte[]? Content);
