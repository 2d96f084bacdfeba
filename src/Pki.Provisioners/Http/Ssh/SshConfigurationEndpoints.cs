using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http.Ssh;

/// <summary>
/// The SSH configuration routes of step-ca (api/ssh.go <c>SSHConfig</c>, <c>SSHCheckHost</c>,
/// <c>SSHGetHosts</c>, <c>SSHBastion</c>), answered by <see cref="ISshConfigurationAuthority"/>:
/// <c>POST /ssh/config</c> and <c>/ssh/config/{type}</c> (the segment is ignored, as in step-ca),
/// <c>POST /ssh/check-host</c>, <c>GET|HEAD /ssh/hosts</c> and <c>/ssh/get-hosts</c>, <c>POST /ssh/bastion</c>.
/// </summary>
internal static class SshConfigurationEndpoints
{
    private static readonly string[] Post = ["POST"];
    private static readonly string[] GetOrHead = ["GET", "HEAD"];

    /// <summary>Maps the routes through <paramref name="map"/> (methods, pattern, handler) into a CA-API group (<c>/</c> or <c>/1.0</c>).</summary>
    public static void Map(Action<string[], string, Func<StepApiContext, Task>> map)
    {
        map(Post, "/ssh/config", Config);
        map(Post, "/ssh/config/{type}", Config);
        map(Post, "/ssh/check-host", CheckHost);
        map(GetOrHead, "/ssh/hosts", Hosts);
        map(GetOrHead, "/ssh/get-hosts", Hosts);
        map(Post, "/ssh/bastion", Bastion);
    }

    /// <summary>200 <c>{"userTemplates":[Output]}</c> or <c>{"hostTemplates":[Output]}</c> (omitted when empty, Go's omitempty).</summary>
    private static async Task Config(StepApiContext call)
    {
        var request = await ReadAsync(call, new SshConfigBody(), SshConfigBody.ReadMember).ConfigureAwait(false);
        // SSHConfigRequest.Validate: no type means user.
        var type = request.Type.Length == 0 ? "user" : request.Type;
        if (type is not ("user" or "host"))
        {
            throw PkiException.BadRequest($"invalid type '{request.Type}'");
        }
        var authority = Authority(call) ?? throw PkiException.NotFound("getSSHConfig: ssh is not configured");
        var outputs = await authority.GetConfigAsync(type, request.Data, call.Aborted).ConfigureAwait(false);
        await call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            if (outputs.Count > 0)
            {
                writer.WriteStartArray(type == "user" ? "userTemplates" : "hostTemplates");
                foreach (var output in outputs)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", output.Name);
                    writer.WriteString("type", output.Type);
                    writer.WriteString("path", output.Path);
                    writer.WriteString("comment", output.Comment);
                    // Go's []byte: standard base64, null when nil (a directory).
                    if (output.Content is { } content)
                    {
                        writer.WriteBase64String("content", content);
                    }
                    else
                    {
                        writer.WriteNull("content");
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>200 <c>{"exists":bool}</c>; the type must be <c>host</c>.</summary>
    private static async Task CheckHost(StepApiContext call)
    {
        var request = await ReadAsync(call, new SshCheckHostBody(), SshCheckHostBody.ReadMember).ConfigureAwait(false);
        if (request.Type != "host")
        {
            throw PkiException.BadRequest($"unsupported type '{request.Type}'");
        }
        if (request.Principal.Length == 0)
        {
            throw PkiException.BadRequest("missing or empty principal");
        }
        var authority = Authority(call) ?? throw PkiException.NotImplemented("checkSSHHost: isSSHHost is not implemented");
        var exists = await authority.CheckHostAsync(request.Principal, request.Token.Length == 0 ? null : request.Token, call.Aborted).ConfigureAwait(false);
        await call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("exists", exists);
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>200 <c>{"hosts":[{"hid":"","host_tags":null,"hostname":"…"}]}</c> (config.Host).</summary>
    private static async Task Hosts(StepApiContext call)
    {
        var authority = Authority(call) ?? throw PkiException.NotImplemented("getSSHHosts: ssh hosts are not available");
        var hosts = await authority.GetHostsAsync(call.Http.Connection.ClientCertificate, call.Aborted).ConfigureAwait(false);
        await call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("hosts");
            foreach (var hostname in hosts)
            {
                writer.WriteStartObject();
                writer.WriteString("hid", string.Empty);
                writer.WriteNull("host_tags");
                writer.WriteString("hostname", hostname);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>200 <c>{"hostname":"…","bastion":{"hostname","user"?,"port"?,"cmd"?,"flags"?}?}</c>.</summary>
    private static async Task Bastion(StepApiContext call)
    {
        var request = await ReadAsync(call, new SshBastionBody(), SshBastionBody.ReadMember).ConfigureAwait(false);
        if (request.Hostname.Length == 0)
        {
            throw PkiException.BadRequest("missing or empty hostname");
        }
        var authority = Authority(call) ?? throw PkiException.NotFound("authority.GetSSHBastion; ssh is not configured");
        var bastion = authority.GetBastion(request.User, request.Hostname);
        await call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("hostname", request.Hostname);
            if (bastion is not null)
            {
                writer.WriteStartObject("bastion");
                writer.WriteString("hostname", bastion.Hostname);
                foreach (var (name, value) in new[] { ("user", bastion.User), ("port", bastion.Port), ("cmd", bastion.Command), ("flags", bastion.Flags) })
                {
                    if (!string.IsNullOrEmpty(value))
                    {
                        writer.WriteString(name, value);
                    }
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static ISshConfigurationAuthority? Authority(StepApiContext call) => call.Http.RequestServices.GetService<ISshConfigurationAuthority>();

    private static async Task<T> ReadAsync<T>(StepApiContext call, T target, JsonMemberReader<T> readMember)
    {
        var body = await RequestBody.ReadAsync(call.Http, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        return GoJsonRequest.Decode(body, target, readMember);
    }

    /// <summary><c>{"type","data":{string:string}}</c> (SSHConfigRequest).</summary>
    private sealed class SshConfigBody
    {
        public string Type { get; private set; } = string.Empty;

        public Dictionary<string, string> Data { get; } = new(StringComparer.Ordinal);

        public static bool ReadMember(SshConfigBody body, string name, ref Utf8JsonReader reader)
        {
            if (GoJsonRequest.Is(name, "type"))
            {
                body.Type = GoJsonRequest.ReadString(ref reader, body.Type, "type");
            }
            else if (GoJsonRequest.Is(name, "data"))
            {
                ReadData(ref reader, body.Data);
            }
            else
            {
                return false;
            }
            return true;
        }

        // Go's map[string]string: null leaves it; an object adds to the map (a repeated "data" keeps
        // earlier entries, as encoding/json reuses a non-nil map); a null value is "".
        private static void ReadData(ref Utf8JsonReader reader, Dictionary<string, string> data)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("cannot unmarshal into field data of type map[string]string");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                data[key] = GoJsonRequest.ReadString(ref reader, string.Empty, "data");
            }
        }
    }

    /// <summary><c>{"type","principal","token"}</c> (SSHCheckPrincipalRequest).</summary>
    private sealed class SshCheckHostBody
    {
        public string Type { get; private set; } = string.Empty;

        public string Principal { get; private set; } = string.Empty;

        public string Token { get; private set; } = string.Empty;

        public static bool ReadMember(SshCheckHostBody body, string name, ref Utf8JsonReader reader)
        {
            if (GoJsonRequest.Is(name, "type"))
            {
                body.Type = GoJsonRequest.ReadString(ref reader, body.Type, "type");
            }
            else if (GoJsonRequest.Is(name, "principal"))
            {
                body.Principal = GoJsonRequest.ReadString(ref reader, body.Principal, "principal");
            }
            else if (GoJsonRequest.Is(name, "token"))
            {
                body.Token = GoJsonRequest.ReadString(ref reader, body.Token, "token");
            }
            else
            {
                return false;
            }
            return true;
        }
    }

    /// <summary><c>{"user","hostname"}</c> (SSHBastionRequest).</summary>
    private sealed class SshBastionBody
    {
        public string User { get; private set; } = string.Empty;

        public string Hostname { get; private set; } = string.Empty;

        public static bool ReadMember(SshBastionBody body, string name, ref Utf8JsonReader reader)
        {
            if (GoJsonRequest.Is(name, "user"))
            {
                body.User = GoJsonRequest.ReadString(ref reader, body.User, "user");
            }
            else if (GoJsonRequest.Is(name, "hostname"))
            {
                body.Hostname = GoJsonRequest.ReadString(ref reader, body.Hostname, "hostname");
            }
            else
            {
                return false;
            }
            return true;
        }
    }
}
