using System.Security.Cryptography;
using Smallstep.Pki.Go;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Host.Kms;

/// <summary>
/// <c>pki-host kms create [--kms URI] [--kty EC|RSA] [--crv P256|P384|P521] [--size BITS] NAME</c>:
/// step-kms-plugin's <c>create</c> (cmd/create.go) in the host. The key manager comes from
/// <c>--kms</c> (default: NAME itself, as in the plugin) through the host's registrations, so any
/// registered <c>kms.type</c> works. Prints <c>{"name": ..., "publicKey": PEM}</c> as the plugin's
/// <c>--json</c> does (two-space indent); <c>--json</c> is accepted and is the only output.
/// </summary>
internal static class KmsCreateCommand
{
    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken = default)
    {
        line.RejectUnknown("kms", "kty", "crv", "size", "json", "password-file");
        if (line.Positionals.Count != 2 || line.Positionals[0] != "create")
        {
            throw new UsageException("usage: pki-host kms create [--kms URI] [--kty EC|RSA] [--crv P256|P384|P521] [--size BITS] NAME");
        }
        var name = line.Positionals[1];
        var request = new CreateKeyRequest(name, Algorithm(line), Size(line));
        var passwords = new PasswordSource(line.Get("password-file"), null);
        await using var opened = await HostKeyManagers.OpenAsync(line.Get("kms") ?? name, passwords, cancellationToken).ConfigureAwait(false);
        var created = await opened.Manager.CreateKeyAsync(request, cancellationToken).ConfigureAwait(false);
        Console.Out.WriteLine(Json(created));
        return 0;
    }

    /// <summary>The plugin's JSON: Go's json.MarshalIndent of a map (keys sorted) with two spaces.</summary>
    public static string Json(CreatedKey created)
    {
        var pem = PemEncoding.WriteString("PUBLIC KEY", created.SubjectPublicKeyInfo.Span) + "\n";
        return GoJsonEncoder.EncodeToString(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", created.KeyUri);
            w.WriteString("publicKey", pem);
            w.WriteEndObject();
        }, GoJsonFormat.Go122Marshal with { Indent = "  " });
    }

    // The plugin's flags: --kty EC (default), RSA or OKP; --crv P256 (default), P384, P521 (P-256 etc. accepted).
    private static KeyAlgorithm Algorithm(CommandLine line)
    {
        var kty = (line.Get("kty") ?? "EC").ToUpperInvariant();
        var crv = (line.Get("crv") ?? "P256").ToUpperInvariant().Replace("-", string.Empty, StringComparison.Ordinal);
        return kty switch
        {
            "RSA" => KeyAlgorithm.Rsa,
            "EC" => crv switch
            {
                "P256" => KeyAlgorithm.EcdsaP256,
                "P384" => KeyAlgorithm.EcdsaP384,
                "P521" => KeyAlgorithm.EcdsaP521,
                _ => throw new UsageException($"--crv {line.Get("crv")}: use P256, P384 or P521"),
            },
            "OKP" => KeyAlgorithm.Ed25519,
            _ => throw new UsageException($"--kty {line.Get("kty")}: use EC, RSA or OKP"),
        };
    }

    // The plugin's default RSA size is 3072.
    private static int Size(CommandLine line) => line.Get("size") is not { } size ? 3072
        : int.TryParse(size, System.Globalization.NumberStyles.None, null, out var bits) && bits is >= 2048 and <= 8192 ? bits
        : throw new UsageException($"--size {size}: an RSA size in bits, 2048 to 8192");
}
