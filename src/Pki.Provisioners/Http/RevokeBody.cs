using System.Text.Json;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The body of <c>POST /revoke</c> and <c>POST /ssh/revoke</c> (api/revoke.go <c>RevokeRequest</c>,
/// api/sshRevoke.go <c>SSHRevokeRequest</c>, the same members): <c>{"serial","ott","reasonCode","reason","passive"}</c>,
/// read with Go's JSON rules (<see cref="GoJsonRequest"/>); and the <c>{"status":"ok"}</c> both answer.
/// </summary>
internal sealed class RevokeBody
{
    public string Serial { get; private set; } = string.Empty;

    public string Ott { get; private set; } = string.Empty;

    public long ReasonCode { get; private set; }

    public string Reason { get; private set; } = string.Empty;

    public bool Passive { get; private set; }

    /// <summary>Reads the request body, capped at the API's body size.</summary>
    public static async Task<RevokeBody> ReadAsync(StepApiContext call)
    {
        var body = await RequestBody.ReadAsync(call.Http, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        return GoJsonRequest.Decode(body, new RevokeBody(), ReadMember);
    }

    /// <summary>Answers 200 <c>{"status":"ok"}</c>.</summary>
    public static Task WriteOkAsync(StepApiContext call) => call.WriteJsonAsync(200, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("status", "ok");
        writer.WriteEndObject();
    });

    /// <summary>Reads one member (<see cref="GoJsonRequest.Decode"/>); false for an unknown one.</summary>
    public static bool ReadMember(RevokeBody body, string name, ref Utf8JsonReader reader)
    {
        if (GoJsonRequest.Is(name, "serial"))
        {
            body.Serial = GoJsonRequest.ReadString(ref reader, body.Serial, "serial");
        }
        else if (GoJsonRequest.Is(name, "ott"))
        {
            body.Ott = GoJsonRequest.ReadString(ref reader, body.Ott, "ott");
        }
        else if (GoJsonRequest.Is(name, "reasonCode"))
        {
            body.ReasonCode = GoJsonRequest.ReadInteger(ref reader, body.ReasonCode, "reasonCode");
        }
        else if (GoJsonRequest.Is(name, "reason"))
        {
            body.Reason = GoJsonRequest.ReadString(ref reader, body.Reason, "reason");
        }
        else if (GoJsonRequest.Is(name, "passive"))
        {
            body.Passive = GoJsonRequest.ReadBoolean(ref reader, body.Passive, "passive");
        }
        else
        {
            return false;
        }
        return true;
    }
}
