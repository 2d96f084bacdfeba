using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Host.Init;

/// <summary>
/// Writes a new PKI into STEPPATH the way <c>step ca init</c> lays it out: <c>certs/</c>,
/// <c>secrets/</c> (encrypted keys, 0600), <c>config/ca.json</c>, <c>config/defaults.json</c>, <c>db/</c>,
/// and with <see cref="InitOptions.Ssh"/> the SSH CA (<see cref="SshCaWriter"/>).
/// </summary>
internal static class PkiWriter
{
    public static async Task<string> WriteAsync(InitOptions options, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(options.StepPath);
        var configFile = Path.Combine(root, "config", "ca.json");
        if (File.Exists(configFile))
        {
            throw new Cli.CommandFailedException($"{configFile} already exists; refusing to overwrite an existing PKI");
        }
        foreach (var dir in new[] { "certs", "secrets", "config", "db" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var paths = new
        {
            RootCrt = Path.Combine(root, "certs", "root_ca.crt"),
            RootKey = Path.Combine(root, "secrets", "root_ca_key"),
            IntermediateCrt = Path.Combine(root, "certs", "intermediate_ca.crt"),
            IntermediateKey = Path.Combine(root, "secrets", "intermediate_ca_key"),
            Defaults = Path.Combine(root, "config", "defaults.json"),
            Database = Path.Combine(root, "db", "pki.sqlite"),
        };

        var now = DateTimeOffset.UtcNow;
        await using var keys = options.KmsUri is null
            ? InitKeys.CreateFiles(options.Password, paths.RootKey, paths.IntermediateKey, WriteSecret)
            : await InitKeys.CreateInKmsAsync(options.KmsUri, options.KmsRootKey, options.KmsIntermediateKey, cancellationToken).ConfigureAwait(false);
        var rootSubject = new DistinguishedName { Organization = [options.Name], CommonName = options.Name + " Root CA" };
        var intermediateSubject = new DistinguishedName { Organization = [options.Name], CommonName = options.Name + " Intermediate CA" };
        using var rootCertificate = await CaCertificateFactory.CreateRootAsync(keys.RootSigner, rootSubject, now, options.RootTemplate, cancellationToken).ConfigureAwait(false);
        using var intermediate = await CaCertificateFactory.CreateIntermediateAsync(new X509Issuer([rootCertificate], keys.RootSigner), keys.IntermediatePublicKey, intermediateSubject, now, options.IntermediateTemplate, cancellationToken).ConfigureAwait(false);

        WriteSecret(paths.RootCrt, rootCertificate.ExportCertificatePem() + "\n");
        WriteSecret(paths.IntermediateCrt, intermediate.ExportCertificatePem() + "\n");

        var ssh = options.Ssh ? SshCaWriter.Write(root, options.Password, options.ProvisionerName, WriteSecret) : null;
        var config = new CaConfig
        {
            Roots = [paths.RootCrt],
            IntermediateCertificate = paths.IntermediateCrt,
            IntermediateKey = keys.IntermediateKey,
            Kms = keys.Kms,
            Address = options.Address,
            DnsNames = options.DnsNames,
            Logger = new LoggerConfig { Format = "text" },
            Db = new DatabaseConfig { Type = "sqlite", DataSource = paths.Database },
            Authority = new AuthorityConfig { Provisioners = ssh is null ? [JwkProvisionerEntry(options)] : [JwkProvisionerEntry(options), ssh.SshPop] },
            Ssh = ssh?.Ssh,
            Templates = ssh?.Templates,
            Tls = TlsConfig.Default,
        };
        await File.WriteAllTextAsync(configFile, config.ToJson() + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);

        var port = options.Address[(options.Address.LastIndexOf(':') + 1)..];
        var host = options.DnsNames[0].Contains(':') ? $"[{options.DnsNames[0]}]" : options.DnsNames[0];
        new DefaultsConfig
        {
            CaUrl = $"https://{host}:{port}",
            CaConfig = configFile,
            Fingerprint = Convert.ToHexStringLower(SHA256.HashData(rootCertificate.RawData)),
            Root = paths.RootCrt,
        }.Save(paths.Defaults);
        return configFile;
    }

    // A JWK provisioner as step writes it: public key in "key", the private key in "encryptedKey";
    // with --ssh it may sign SSH certificates (claims.enableSSHCA).
    private static ProvisionerConfig JwkProvisionerEntry(InitOptions options)
    {
        var generated = JsonWebKey.Generate("ES256");
        var key = generated.WithMetadata("sig", generated.Thumbprint(), "ES256");
        using var json = JsonDocument.Parse($$"""
            {"type":"JWK","name":{{JsonSerializer.Serialize(options.ProvisionerName)}},"key":{{key.ToPublic().ToJson()}},"encryptedKey":{{JsonSerializer.Serialize(EncryptedKey.Encrypt(key, options.ProvisionerPassword))}}{{(options.Ssh ? ",\"claims\":{\"enableSSHCA\":true}" : "")}}}
            """);
        return ProvisionerConfig.FromJson(json.RootElement.Clone());
    }

    private static void WriteSecret(string path, string content)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
