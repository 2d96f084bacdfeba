using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>OpenSSH's ssh-keygen (package openssh-client) in a scratch directory: key pairs and certificate listings.</summary>
internal sealed class SshKeygenTool(string directory)
{
    /// <summary>A new key pair of <paramref name="type"/>; returns the private key path (the public key is <c>path.pub</c>).</summary>
    public string NewKey(string type = "ed25519")
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N"));
        var result = ExternalTool.Run("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "test", "-f", path]);
        result.ExitCode.Should().Be(0, result.Stderr);
        return path;
    }

    /// <summary>A new key pair written in PEM (<c>-m PEM</c>: <c>EC PRIVATE KEY</c>/<c>RSA PRIVATE KEY</c>), which .NET imports too; returns the private key path.</summary>
    public string NewPemKey(string type = "ecdsa")
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N"));
        var result = ExternalTool.Run("ssh-keygen", ["-q", "-t", type, "-m", "PEM", "-N", "", "-C", "test", "-f", path]);
        result.ExitCode.Should().Be(0, result.Stderr);
        return path;
    }

    /// <summary>The wire blob of a public key file, as the step CLI sends it (<c>publicKey</c>).</summary>
    public static string PublicKeyBase64(string privateKeyPath) => File.ReadAllText(privateKeyPath + ".pub").Split(' ')[1];

    /// <summary><c>ssh-keygen -L</c> of a certificate in base64 wire form; OpenSSH checks the CA signature while reading it.</summary>
    public string List(string certificateBase64, string type)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + "-cert.pub");
        File.WriteAllText(path, $"{type} {certificateBase64}\n");
        var result = ExternalTool.Run("ssh-keygen", ["-L", "-f", path]);
        result.ExitCode.Should().Be(0, result.Stderr);
        return result.Stdout;
    }

    /// <summary><c>ssh-keygen -l</c>: the SHA256 fingerprint of a public key file.</summary>
    public static string Fingerprint(string publicKeyPath) => ExternalTool.Run("ssh-keygen", ["-l", "-E", "sha256", "-f", publicKeyPath]).Stdout.Split(' ')[1];
}
