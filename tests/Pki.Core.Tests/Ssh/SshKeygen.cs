using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>Runs OpenSSH's ssh-keygen (package openssh-client) in a scratch directory.</summary>
internal sealed partial class SshKeygen : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ssh-keygen-").FullName;

    /// <summary>Generates a key pair and returns the public key line (<c>type base64 comment</c>).</summary>
    public string GenerateKey(string type, int bits = 0)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N"));
        string[] args = bits > 0 ? ["-q", "-t", type, "-b", bits.ToString(System.Globalization.CultureInfo.InvariantCulture), "-N", "", "-f", path] : ["-q", "-t", type, "-N", "", "-f", path];
        Run(args);
        return File.ReadAllText(path + ".pub").Trim();
    }

    /// <summary><c>ssh-keygen -L</c> of a certificate line: OpenSSH verifies the CA signature while parsing it.</summary>
    public CertificateListing List(string certificateLine)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + "-cert.pub");
        File.WriteAllText(path, certificateLine + "\n");
        return CertificateListing.Parse(Run(["-L", "-f", path]));
    }

    /// <summary><c>ssh-keygen -l</c>: the SHA256 fingerprint of a public key line.</summary>
    public string Fingerprint(string publicKeyLine)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".pub");
        File.WriteAllText(path, publicKeyLine + "\n");
        return Run(["-l", "-E", "sha256", "-f", path]).Split(' ')[1];
    }

    public (int ExitCode, string Output) TryList(string certificateLine)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + "-cert.pub");
        File.WriteAllText(path, certificateLine + "\n");
        return Execute(["-L", "-f", path]);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Run(string[] args)
    {
        var (code, output) = Execute(args);
        code.Should().Be(0, output);
        return output;
    }

    private static (int ExitCode, string Output) Execute(string[] args)
    {
        var start = new ProcessStartInfo("ssh-keygen", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TZ"] = "UTC";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}

/// <summary>The fields of <c>ssh-keygen -L</c> output.</summary>
internal sealed partial record CertificateListing(
    string Type,
    string SigningCa,
    string KeyId,
    ulong Serial,
    string Valid,
    IReadOnlyList<string> Principals,
    IReadOnlyList<string> CriticalOptions,
    IReadOnlyList<string> Extensions)
{
    public static CertificateListing Parse(string output)
    {
        var lines = output.Split('\n');
        string Field(string name) => lines.Select(l => l.Trim()).First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
        IReadOnlyList<string> Section(string name)
        {
            var start = Array.FindIndex(lines, l => l.Trim().StartsWith(name + ":", StringComparison.Ordinal));
            var inline = lines[start].Trim()[(name.Length + 1)..].Trim();
            if (inline.Length > 0)
            {
                return inline == "(none)" ? [] : [inline];
            }

            return lines.Skip(start + 1).TakeWhile(l => l.StartsWith("                ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        }

        var keyId = KeyIdPattern().Match(Field("Key ID")).Groups[1].Value;
        return new CertificateListing(Field("Type"), Field("Signing CA"), keyId, ulong.Parse(Field("Serial"), System.Globalization.CultureInfo.InvariantCulture),
            Field("Valid"), Section("Principals"), Section("Critical Options"), Section("Extensions"));
    }

    [GeneratedRegex("^\"(.*)\"$")]
    private static partial Regex KeyIdPattern();
}
