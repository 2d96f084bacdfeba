using System.Text;
using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Ssh.Config;

namespace Smallstep.Pki.Host.Init;

/// <summary>
/// The SSH part of <c>init --ssh</c>, as <c>step ca init --ssh</c> lays it out (pki/pki.go
/// <c>GenerateSSHSigningKeys</c>, <c>GenerateConfig</c>; pki/templates.go): EC P-256 host and user CA
/// keys encrypted like the intermediate (<c>secrets/ssh_host_ca_key</c>, <c>secrets/ssh_user_ca_key</c>)
/// with their public keys in <c>certs/*.pub</c>, the configuration templates in
/// <c>templates/ssh/</c>, and the ca.json <c>ssh</c> and <c>templates</c> blocks plus an SSHPOP
/// provisioner <c>sshpop</c> (<c>sshpop-1</c> when the JWK provisioner already has that name).
/// </summary>
internal static class SshCaWriter
{
    /// <summary>What the ca.json gets.</summary>
    public sealed record Result(SshConfig Ssh, TemplatesConfig Templates, ProvisionerConfig SshPop);

    public static Result Write(string root, string password, string jwkProvisionerName, Action<string, string> writeSecret)
    {
        var keys = new List<string>();
        foreach (var kind in new[] { "host", "user" })
        {
            using var key = SoftPrivateKey.Generate(KeyAlgorithm.EcdsaP256);
            var secret = Path.Combine(root, "secrets", $"ssh_{kind}_ca_key");
            writeSecret(secret, EncryptedPemWriter.Write(key, password));
            // ssh.MarshalAuthorizedKey: "type base64\n".
            writeSecret(Path.Combine(root, "certs", $"ssh_{kind}_ca_key.pub"), SshPublicKey.FromSubjectPublicKeyInfo(key.SubjectPublicKeyInfo.Span).ToAuthorizedKey() + "\n");
            keys.Add(secret);
        }

        var folder = Path.Combine(root, "templates", "ssh");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var defaults = SshDefaultConfigTemplates.Config;
        SshTemplateConfig Written(SshTemplateConfig entry)
        {
            var path = Path.Combine(folder, entry.Name);
            File.WriteAllText(path, SshDefaultConfigTemplates.Texts[entry.Name], new UTF8Encoding(false));
            // Absolute like every other path this writer puts in ca.json (step writes them relative to STEPPATH).
            return entry with { Template = path };
        }
        var templates = new TemplatesConfig
        {
            Ssh = new SshTemplatesConfig { User = defaults.User!.Select(Written).ToList(), Host = defaults.Host!.Select(Written).ToList() },
        };

        var name = jwkProvisionerName == "sshpop" ? "sshpop-1" : "sshpop";
        using var sshpop = JsonDocument.Parse($$"""{"type":"SSHPOP","name":{{JsonSerializer.Serialize(name)}},"claims":{"enableSSHCA":true} }""");
        return new Result(new SshConfig { HostKey = keys[0], UserKey = keys[1] }, templates, ProvisionerConfig.FromJson(sshpop.RootElement.Clone()));
    }
}
