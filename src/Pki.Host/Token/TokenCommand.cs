using System.Security.Cryptography;
using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Host.Serve;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Host.Token;

/// <summary>
/// <c>pki-host token SUBJECT</c>: a one-time token in the layout of <c>step ca token</c>, signed with
/// the JWK provisioner's decrypted <c>encryptedKey</c>, so <c>curl</c> alone can get a certificate.
/// </summary>
internal static class TokenCommand
{
    public static Task<int> RunAsync(CommandLine line)
    {
        line.RejectUnknown("san", "provisioner", "password-file", "ca-url", "ca-config", "revoke", "not-after");
        var subject = line.Positionals.FirstOrDefault() ?? throw new UsageException("missing SUBJECT");
        var loaded = new CaConfigLoader().Load(Path.GetFullPath(line.Get("ca-config") ?? StepPath.DefaultConfigFile));
        var config = loaded.Config;
        var name = line.Get("provisioner");
        var entry = config.Authority.Provisioners.FirstOrDefault(p => p.IsType("JWK") && (name is null || p.Name == name))
            ?? throw new UsageException(name is null ? "ca.json has no JWK provisioner" : $"no JWK provisioner named {name}");
        if (!entry.Json.TryGetProperty("encryptedKey", out var encrypted) || encrypted.ValueKind != JsonValueKind.String)
        {
            throw new UsageException($"provisioner {entry.Name} has no encryptedKey");
        }
        var passwordFile = line.Get("password-file");
        var password = new PasswordSource(passwordFile, null).Get($"the {entry.Name} provisioner key")
            ?? throw new UsageException("a password is required: use --password-file");
        var key = EncryptedKey.Decrypt(encrypted.GetString()!, password);

        var root = CertificateFiles.LoadBundle(loaded.ResolvePath(config.Roots[0]), "root")[0];
        var sans = line.GetAll("san");
        var revoke = line.Has("revoke");
        var signer = new TokenSigner(key);
        var token = signer.Sign(new TokenDescriptor
        {
            Issuer = entry.Name,
            Subject = subject,
            Audience = [CaUrl(line, config) + (revoke ? "/1.0/revoke" : "/1.0/sign")],
            Sans = revoke ? null : (sans.Count > 0 ? sans : [subject]),
            Sha = Convert.ToHexStringLower(SHA256.HashData(root.RawData)),
        });
        Console.Out.WriteLine(token);
        return Task.FromResult(0);
    }

    private static string CaUrl(CommandLine line, CaConfig config)
    {
        var explicitUrl = line.Get("ca-url");
        if (explicitUrl is not null)
        {
            return explicitUrl.TrimEnd('/');
        }
        var address = ListenAddress.Parse(config.Address);
        var host = config.DnsNames.FirstOrDefault() ?? "localhost";
        return $"https://{(host.Contains(':') ? $"[{host}]" : host)}:{address.Port}";
    }
}
