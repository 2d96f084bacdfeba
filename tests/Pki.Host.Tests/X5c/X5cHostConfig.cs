using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.X5c;

/// <summary>
/// The fixture PKI with an X5C provisioner <c>x5c-fixture</c> added as <c>step ca provisioner add
/// --type X5C --x5c-root root_ca.crt</c> writes it (roots = standard base64 of the root's PEM), so any
/// certificate this CA issued can ask for more; SSH certificates enabled for it. And X5C tokens made
/// here from a certificate and key step wrote.
/// </summary>
internal static class X5cHostConfig
{
    public const string Provisioner = "x5c-fixture";

    public static void AddProvisioner(JsonObject config)
    {
        var rootPem = File.ReadAllText(Fixtures.Path("pki", "certs", "root_ca.crt"));
        config["authority"]!["provisioners"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "X5C",
            ["name"] = Provisioner,
            ["roots"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(rootPem)),
            ["claims"] = new JsonObject { ["enableSSHCA"] = true },
        });
    }

    /// <summary>An X5C token: <c>x5c</c> = the chain in <paramref name="crtPath"/>, signed ES256 by the key in <paramref name="keyPath"/>.</summary>
    public static string Token(string crtPath, string keyPath, string subject, string audience) =>
        Compose(crtPath, keyPath, "x5c", subject, audience + "#x5c/" + Provisioner, Provisioner);

    /// <summary>A renew token for the certificate in <paramref name="crtPath"/> (tokens.md §6: <c>x5cInsecure</c>, <c>sub</c> = its CN).</summary>
    public static string RenewToken(string crtPath, string keyPath, string commonName) =>
        Compose(crtPath, keyPath, "x5cInsecure", commonName, "https://127.0.0.1/1.0/renew", "step-ca-client/1.0");

    private static string Compose(string crtPath, string keyPath, string chainMember, string subject, string audience, string issuer)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(crtPath);
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyPath));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object>
        {
            ["alg"] = "ES256",
            ["typ"] = "JWT",
            [chainMember] = chain.Select(c => Convert.ToBase64String(c.RawData)).ToArray(),
        };
        var claims = new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["exp"] = now + 300,
            ["iat"] = now,
            ["iss"] = issuer,
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["nbf"] = now,
            ["sub"] = subject,
        };
        return CompactJws.Compose(header, claims, input => key.SignData(input, HashAlgorithmName.SHA256));
    }
}
