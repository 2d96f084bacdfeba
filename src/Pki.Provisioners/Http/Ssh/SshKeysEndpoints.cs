using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http.Ssh;

/// <summary>
/// <c>GET /ssh/roots</c> and <c>GET /ssh/federation</c> (api/ssh.go <c>SSHRoots</c>,
/// <c>SSHFederation</c>): 200 <c>{"userKey":[base64...]?,"hostKey":[base64...]?}</c> (wire-form keys,
/// empty lists omitted), 404 when there is no key at all.
/// </summary>
internal static class SshKeysEndpoints
{
    public static Task Roots(StepApiContext call) => WriteAsync(call, call.SshAuthority?.Roots);

    public static Task Federation(StepApiContext call) => WriteAsync(call, call.SshAuthority?.Federation);

    private static Task WriteAsync(StepApiContext call, SshKeySet? keys)
    {
        if (keys is null || keys.IsEmpty)
        {
            throw PkiException.NotFound("no keys found");
        }
        return call.WriteJsonAsync(200, writer =>
        {
            writer.WriteStartObject();
            foreach (var (name, list) in new[] { ("userKey", keys.UserKeys), ("hostKey", keys.HostKeys) })
            {
                if (list.Count == 0)
                {
                    continue;
                }
                writer.WriteStartArray(name);
                foreach (var key in list)
                {
                    writer.WriteBase64StringValue(key.Blob.Span);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        });
    }
}
