using System.Globalization;
using System.Security.Cryptography;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// SSHPOP tokens made in the test (tokens.md §4.3): the certificate (std base64 wire blob) in the
/// <c>sshpop</c> header, claims as the step CLI writes them, the audience of the operation with
/// <c>#sshpop/sshpop</c> (the fixture's SSHPOP provisioner), signed ES256/RS256 by the certified
/// key read from the PEM file ssh-keygen wrote (<c>-m PEM</c>).
/// </summary>
internal static class SshPopTokens
{
    public static string Create(string certificateBase64, string privateKeyPemPath, string operation, string subject)
    {
        var pem = File.ReadAllText(privateKeyPemPath);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new
        {
            aud = $"https://127.0.0.1/1.0/ssh/{operation}#sshpop/sshpop",
            exp = now + 300,
            iat = now,
            iss = "sshpop",
            jti = TokenSigner.NewTokenId(),
            nbf = now,
            sub = subject,
        };
        if (pem.Contains("RSA PRIVATE KEY", StringComparison.Ordinal))
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return CompactJws.Compose(new { alg = "RS256", typ = "JWT", sshpop = certificateBase64 }, claims,
                input => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return CompactJws.Compose(new { alg = "ES256", typ = "JWT", sshpop = certificateBase64 }, claims,
            input => ecdsa.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    /// <summary>The serial of a certificate blob in decimal (the subject of revoke tokens).</summary>
    public static string Serial(string certificateBase64) =>
        Pki.Ssh.PresentedSshCertificate.Parse(Convert.FromBase64String(certificateBase64)).Serial.ToString(CultureInfo.InvariantCulture);
}
