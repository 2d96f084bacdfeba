using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Bench.Fixture;

/// <summary>
/// A fresh PKI made by the host's own <c>init</c> command (run as a child process with
/// <c>STEPPATH</c> set), plus per-run copies of its ca.json that differ only in <c>address</c> and
/// <c>db</c>. Nothing here talks to anything but 127.0.0.1.
/// </summary>
internal sealed class BenchPki
{
    public const string ProvisionerName = "bench";

    private BenchPki(string stepPath, string password)
    {
        StepPath = stepPath;
        Password = password;
    }

    /// <summary>The PKI folder (<c>STEPPATH</c>).</summary>
    public string StepPath { get; }

    /// <summary>The password of the CA keys and of the provisioner key.</summary>
    public string Password { get; }

    public string PasswordFile => Path.Combine(StepPath, "password.txt");

    public string ConfigFile => Path.Combine(StepPath, "config", "ca.json");

    /// <summary>Runs <c>dotnet HOST init</c> into <paramref name="stepPath"/> (which must not exist yet).</summary>
    public static async Task<BenchPki> InitializeAsync(string hostDll, string stepPath)
    {
        Directory.CreateDirectory(stepPath);
        var pki = new BenchPki(stepPath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)));
        await File.WriteAllTextAsync(pki.PasswordFile, pki.Password + "\n").ConfigureAwait(false);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { hostDll, "init", "--name", "Bench", "--dns", "127.0.0.1", "--dns", "localhost", "--address", "127.0.0.1:9000", "--provisioner", ProvisionerName, "--password-file", pki.PasswordFile })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["STEPPATH"] = stepPath;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"host init failed ({process.ExitCode}): {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
        return pki;
    }

    /// <summary>Opens a PKI made earlier by <see cref="InitializeAsync"/> (child processes).</summary>
    public static BenchPki Open(string stepPath) =>
        new(stepPath, File.ReadAllText(Path.Combine(stepPath, "password.txt")).Trim());

    /// <summary>
    /// Writes <c>config/ca-NAME.json</c>: the init ca.json with <paramref name="address"/> and the
    /// <c>db</c> block of <paramref name="storage"/> (none for the in-memory store).
    /// </summary>
    public string WriteVariant(string name, string address, BenchStorage storage)
    {
        var config = JsonNode.Parse(File.ReadAllText(ConfigFile))!.AsObject();
        config["address"] = address;
        if (storage.DbBlock(StepPath, name) is { } db)
        {
            config["db"] = db;
        }
        else
        {
            config.Remove("db");
        }
        var path = Path.Combine(StepPath, "config", $"ca-{name}.json");
        File.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>The root certificate.</summary>
    public X509Certificate2 LoadRoot() => X509CertificateLoader.LoadCertificateFromFile(Path.Combine(StepPath, "certs", "root_ca.crt"));

    /// <summary>A token signer with the provisioner's decrypted <c>encryptedKey</c> (as <c>step ca token</c> does).</summary>
    public TokenSigner CreateTokenSigner()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(ConfigFile));
        foreach (var provisioner in config.RootElement.GetProperty("authority").GetProperty("provisioners").EnumerateArray())
        {
            if (provisioner.GetProperty("name").GetString() == ProvisionerName)
            {
                return new TokenSigner(EncryptedKey.Decrypt(provisioner.GetProperty("encryptedKey").GetString()!, Password));
            }
        }
        throw new InvalidOperationException($"ca.json has no provisioner {ProvisionerName}");
    }

    /// <summary>A free TCP port on 127.0.0.1 (the small race with other programs is acceptable here).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
