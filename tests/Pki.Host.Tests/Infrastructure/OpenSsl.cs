namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>Key types the real <c>openssl</c> binary makes CSRs for (public: a test parameter type).</summary>
public enum OpenSslKeyType
{
    EcP256,
    Rsa2048,
    Ed25519,
}

/// <summary>The real <c>openssl</c> binary: keys, CSRs and chain verification, as an operator would use it.</summary>
internal sealed class OpenSsl
{
    private readonly string _directory;
    private int _counter;

    /// <summary>Uses <paramref name="directory"/> for the files it writes.</summary>
    public OpenSsl(string directory)
    {
        ExternalTool.Require("openssl", "openssl");
        _directory = directory;
    }

    /// <summary>Generates a private key (PKCS#8 PEM) and returns its path.</summary>
    public string NewKey(OpenSslKeyType type)
    {
        var path = NextPath("key.pem");
        string[] algorithm = type switch
        {
            OpenSslKeyType.EcP256 => ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
            OpenSslKeyType.Rsa2048 => ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            _ => ["-algorithm", "ed25519"],
        };
        ExternalTool.RunChecked("openssl", ["genpkey", .. algorithm, "-out", path]);
        return path;
    }

    /// <summary>A CSR PEM for <paramref name="keyPath"/> with CN and, when given, a SAN extension (<c>DNS:x</c>, <c>IP:y</c>, <c>email:z</c>, <c>URI:u</c>).</summary>
    public string Csr(string keyPath, string commonName, params string[] sans)
    {
        string[] extension = sans.Length == 0 ? [] : ["-addext", "subjectAltName=" + string.Join(',', sans)];
        return ExternalTool.RunChecked("openssl", ["req", "-new", "-key", keyPath, "-subj", "/CN=" + commonName, .. extension]);
    }

    /// <summary>Writes <paramref name="pem"/> to a new file and returns its path.</summary>
    public string Save(string pem, string name)
    {
        var path = NextPath(name);
        File.WriteAllText(path, pem);
        return path;
    }

    /// <summary><c>openssl verify -CAfile root -untrusted intermediate leaf</c>: exit code and output.</summary>
    public static ExternalTool.Result Verify(string rootPath, string intermediatePath, string leafPath) =>
        ExternalTool.Run("openssl", ["verify", "-CAfile", rootPath, "-untrusted", intermediatePath, leafPath]);

    private string NextPath(string name) => Path.Combine(_directory, $"{Interlocked.Increment(ref _counter)}-{name}");
}
