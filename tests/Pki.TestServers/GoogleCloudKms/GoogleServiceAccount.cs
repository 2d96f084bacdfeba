using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Smallstep.Pki.TestServers.GoogleCloudKms;

/// <summary>
/// A service account of the local Google server: an RSA key whose public half the token endpoint
/// checks assertions with, and the JSON key file (as the Cloud console downloads it) naming the
/// local <c>token_uri</c>.
/// </summary>
public sealed class GoogleServiceAccount : IDisposable
{
    internal GoogleServiceAccount(string email, bool permitted, Uri tokenUri)
    {
        Email = email;
        Permitted = permitted;
        TokenUri = tokenUri;
        Key = RSA.Create(2048);
        KeyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
    }

    /// <summary>The <c>client_email</c>.</summary>
    public string Email { get; }

    /// <summary>False for an account that has no Cloud KMS role: its tokens get PERMISSION_DENIED.</summary>
    public bool Permitted { get; }

    /// <summary>The token endpoint written into the key file.</summary>
    public Uri TokenUri { get; }

    /// <summary>The private key id (<c>private_key_id</c>).</summary>
    public string KeyId { get; }

    internal RSA Key { get; }

    /// <summary>The key file's JSON.</summary>
    public string KeyFileJson() => new JsonObject
    {
        ["type"] = "service_account",
        ["project_id"] = "local-test",
        ["private_key_id"] = KeyId,
        ["private_key"] = Key.ExportPkcs8PrivateKeyPem() + "\n",
        ["client_email"] = Email,
        ["client_id"] = "100000000000000000001",
        ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
        ["token_uri"] = TokenUri.AbsoluteUri,
    }.ToJsonString();

    /// <summary>Writes the key file into <paramref name="directory"/> and returns its path.</summary>
    public string WriteKeyFile(string directory)
    {
        var path = Path.Combine(directory, $"{Email.Split('@')[0]}.json");
        File.WriteAllText(path, KeyFileJson());
        return path;
    }

    public void Dispose() => Key.Dispose();
}
