using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Provisioners.Http.Ssh;

/// <summary>
/// <c>POST /ssh/sign</c> and <c>POST /sign-ssh</c> (api/ssh.go <c>SSHSign</c>): a public key and a
/// one-time token in, 201 <c>{"crt":base64,"addUserCrt":base64?}</c> out.
/// </summary>
internal static class SshSignEndpoint
{
    public static async Task Sign(StepApiContext call)
    {
        var body = await RequestBody.ReadAsync(call.Http, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        var request = GoJsonRequest.Decode(body, new SshSignBody(), SshSignBody.ReadMember);
        // SSHSignRequest.Validate, in step-ca's order.
        if (request.Options.CertType is not ("" or "user" or "host"))
        {
            throw PkiException.BadRequest($"invalid certType '{request.Options.CertType}'");
        }
        if (request.PublicKey is not { Length: > 0 } publicKey)
        {
            throw PkiException.BadRequest("missing or empty publicKey");
        }
        if (request.Ott.Length == 0)
        {
            throw PkiException.BadRequest("missing or empty ott");
        }
        if (request.IdentityCsr is { } identityCsr)
        {
            // SSHSignRequest.Validate: the identity CSR's self-signature first.
            try
            {
                Smallstep.Pki.Issuance.CertificationRequest.Parse(identityCsr);
            }
            catch (PkiException e)
            {
                throw PkiException.BadRequest("invalid identityCSR", e);
            }
            // step-ca then signs an X.509 identity certificate with the same token (re-authorized for
            // the X.509 sign audience, which a JWK SSH token does not carry); the step CLI sends one
            // only when /version says requireClientAuthentication, which this CA never does.
            throw PkiException.NotImplemented("identityCSR on /ssh/sign is not supported by this build yet");
        }
        var key = ParseKey(publicKey, "publicKey");
        var addUserKey = request.AddUserPublicKey is { } addUser ? ParseKey(addUser, "addUserPublicKey") : null;
        var authority = call.SshAuthority ?? throw PkiException.NotImplemented("authority.Authorize; ssh certificate flows are not enabled");
        var result = await authority.SignAsync(new SshSignRequest(key, request.Ott, request.Options, addUserKey)
        {
            ClientCertificate = call.Http.Connection.ClientCertificate,
            RemoteAddress = call.Http.Connection.RemoteIpAddress,
        }, call.Aborted).ConfigureAwait(false);
        await call.WriteJsonAsync(201, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBase64String("crt", result.Certificate.Blob.Span);
            if (result.AddUserCertificate is { } addUserCertificate)
            {
                writer.WriteBase64String("addUserCrt", addUserCertificate.Blob.Span);
            }
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static SshPublicKey ParseKey(byte[] blob, string field)
    {
        try
        {
            return SshPublicKey.Parse(blob);
        }
        catch (PkiException e)
        {
            throw PkiException.BadRequest($"error parsing {field}", e);
        }
    }

    /// <summary>The body: <c>{"publicKey","ott","certType","keyID","principals","validAfter","validBefore","addUserPublicKey","identityCSR","templateData"}</c>.</summary>
    private sealed class SshSignBody
    {
        public byte[]? PublicKey { get; private set; }

        public string Ott { get; private set; } = string.Empty;

        public SshSignOptions Options { get; private set; } = new();

        public byte[]? AddUserPublicKey { get; private set; }

        public byte[]? IdentityCsr { get; private set; }

        public static bool ReadMember(SshSignBody body, string name, ref Utf8JsonReader reader)
        {
            if (GoJsonRequest.Is(name, "publicKey"))
            {
                body.PublicKey = ReadBytes(ref reader, body.PublicKey, "publicKey");
            }
            else if (GoJsonRequest.Is(name, "ott"))
            {
                body.Ott = GoJsonRequest.ReadString(ref reader, body.Ott, "ott");
            }
            else if (GoJsonRequest.Is(name, "certType"))
            {
                body.Options = body.Options with { CertType = GoJsonRequest.ReadString(ref reader, body.Options.CertType, "certType") };
            }
            else if (GoJsonRequest.Is(name, "keyID"))
            {
                body.Options = body.Options with { KeyId = GoJsonRequest.ReadString(ref reader, body.Options.KeyId, "keyID") };
            }
            else if (GoJsonRequest.Is(name, "principals"))
            {
                body.Options = body.Options with { Principals = ReadStrings(ref reader, body.Options.Principals) };
            }
            else if (GoJsonRequest.Is(name, "validAfter"))
            {
                body.Options = body.Options with { ValidAfter = TimeDuration.Parse(GoJsonRequest.ReadString(ref reader, string.Empty, "validAfter")) };
            }
            else if (GoJsonRequest.Is(name, "validBefore"))
            {
                body.Options = body.Options with { ValidBefore = TimeDuration.Parse(GoJsonRequest.ReadString(ref reader, string.Empty, "validBefore")) };
            }
            else if (GoJsonRequest.Is(name, "addUserPublicKey"))
            {
                body.AddUserPublicKey = ReadBytes(ref reader, body.AddUserPublicKey, "addUserPublicKey");
            }
            else if (GoJsonRequest.Is(name, "identityCSR"))
            {
                // api.CertificateRequest.UnmarshalJSON: an empty string or null is "none"; a PEM
                // block that is not a DER SEQUENCE fails the JSON decoding.
                body.IdentityCsr = reader.TokenType == JsonTokenType.Null ? body.IdentityCsr : CsrPem.Decode(GoJsonRequest.ReadString(ref reader, string.Empty, "identityCSR"));
            }
            else if (GoJsonRequest.Is(name, "templateData"))
            {
                // json.RawMessage: any JSON value; null means none.
                var data = JsonElement.ParseValue(ref reader);
                body.Options = body.Options with { TemplateData = data.ValueKind == JsonValueKind.Null ? null : data };
            }
            else
            {
                return false;
            }
            return true;
        }

        // Go's []byte: a standard base64 string; null leaves the field unchanged.
        private static byte[]? ReadBytes(ref Utf8JsonReader reader, byte[]? current, string field) =>
            reader.TokenType == JsonTokenType.Null ? current : Convert.FromBase64String(GoJsonRequest.ReadString(ref reader, string.Empty, field));

        private static IReadOnlyList<string> ReadStrings(ref Utf8JsonReader reader, IReadOnlyList<string> current)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return current;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("cannot unmarshal into field principals of type []string");
            }
            var list = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(reader.TokenType == JsonTokenType.Null ? "" : GoJsonRequest.ReadString(ref reader, "", "principals"));
                if (list.Count > SshCertificateDescription.MaxPrincipals)
                {
                    throw new JsonException($"more than {SshCertificateDescription.MaxPrincipals} principals");
                }
            }
            return list;
        }
    }
}
