using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Hostile;

/// <summary>
/// One hostile request of <see cref="HostileInputSuite"/>: the raw HTTP/1.1 bytes (built against the
/// served PKI when the case runs), the status it must get, and the exact step-ca message when the
/// case pins one. <see cref="Transport"/> cases are refused by Kestrel itself before any endpoint
/// runs: their body is empty (or step's JSON when an endpoint saw them first).
/// </summary>
public sealed record HostileCase(string Area, string Name, Func<HostileContext, byte[]> Request, int Status, string? Message = null, bool Transport = false)
{
    public override string ToString() => $"{Area}: {Name}";
}

/// <summary>What a case builds its request from: the served PKI, a valid CSR and token makers.</summary>
public sealed class HostileContext
{
    public const string Subject = "hostile.host.test";
    public const string SshAudience = "https://127.0.0.1/1.0/ssh/sign";

    internal HostileContext(ServedPki pki, ClientKey key)
    {
        Pki = pki;
        Csr = key.CsrPem(Subject);
        Key = key;
    }

    internal ServedPki Pki { get; }

    internal ClientKey Key { get; }

    /// <summary>A valid CSR for <see cref="Subject"/>.</summary>
    public string Csr { get; }

    /// <summary>A valid sign token for <see cref="Subject"/>.</summary>
    public string Token() => Pki.Provisioner.SignToken(Subject);

    /// <summary>The claims of a valid sign (or other) token, to change one member.</summary>
    public JsonObject Claims(string audience = ProvisionerKey.SignAudience, string subject = Subject, bool sans = true) =>
        Pki.Provisioner.Claims(audience, subject, sans ? [subject] : null);

    /// <summary>The header of a valid token.</summary>
    public JsonObject Header() => new() { ["alg"] = "ES256", ["kid"] = Pki.Provisioner.KeyId, ["typ"] = "JWT" };

    /// <summary>A token with the given header and claims, signed by the provisioner key (ES256).</summary>
    public string Signed(JsonNode header, JsonNode claims) => Raw(header.ToJsonString(), claims.ToJsonString());

    /// <summary>A token over raw header and payload texts, signed by the provisioner key (ES256).</summary>
    public string Raw(string header, string payload) => RawBytes(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(payload));

    /// <summary>A token over raw header and payload bytes, signed by the provisioner key (ES256).</summary>
    public string RawBytes(byte[] header, byte[] payload)
    {
        var input = B64(header) + "." + B64(payload);
        using var key = Pki.Provisioner.Key.CreateEcdsa();
        return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    /// <summary>A token with changed claims.</summary>
    public string With(Action<JsonObject> change, string audience = ProvisionerKey.SignAudience, string subject = Subject, bool sans = true)
    {
        var claims = Claims(audience, subject, sans);
        change(claims);
        return Signed(Header(), claims);
    }

    /// <summary>A token with a changed header.</summary>
    public string WithHeader(Action<JsonObject> change)
    {
        var header = Header();
        change(header);
        return Signed(header, Claims());
    }

    /// <summary>An SSH sign token (<c>step.ssh</c> for a user certificate), optionally changed.</summary>
    public string SshToken(Action<JsonObject>? change = null)
    {
        var claims = Claims(SshAudience, "alice@host.test", sans: false);
        claims["step"] = new JsonObject { ["ssh"] = new JsonObject { ["certType"] = "user", ["keyID"] = "alice", ["principals"] = new JsonArray("alice") } };
        change?.Invoke(claims);
        return Signed(Header(), claims);
    }

    /// <summary>A renew token (tokens.md §6) over <paramref name="x5cInsecure"/>, signed by <paramref name="key"/>.</summary>
    public static string RenewToken(JsonNode x5cInsecure, ECDsa key, string alg = "ES256", Action<JsonObject>? change = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT", ["x5cInsecure"] = x5cInsecure };
        var claims = new JsonObject
        {
            ["aud"] = "https://127.0.0.1/1.0/renew",
            ["exp"] = now + 300,
            ["iat"] = now,
            ["iss"] = "step-ca-client/1.0",
            ["jti"] = TokenSigner.NewTokenId(),
            ["nbf"] = now,
            ["sub"] = "hostile.host.test",
        };
        change?.Invoke(claims);
        var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    public static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));
}
