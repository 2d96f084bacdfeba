using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.X5c;

/// <summary>
/// An outside PKI written by the real <c>openssl</c> (P-256 keys, <c>openssl ca</c> for explicit
/// validity windows): a root, an intermediate, and leaves with the extensions a test names.
/// </summary>
internal sealed class OpenSslX5cPki
{
    private const string OpenSslProgram = "openssl";
    private readonly string _directory;
    private int _serial;

    public OpenSslX5cPki(string directory, string name)
    {
        ExternalTool.Require(OpenSslProgram, "openssl");
        _directory = Directory.CreateDirectory(directory).FullName;
        File.WriteAllText(Path("index.txt"), "");
        File.WriteAllText(Path("ca.cnf"), $"""
            [ ca ]
            default_ca = x5c
            [ x5c ]
            database = {Path("index.txt")}
            new_certs_dir = {_directory}
            serial = {Path("serial")}
            default_md = sha256
            policy = any
            unique_subject = no
            [ any ]
            commonName = supplied
            """);
        RootKey = Key("root");
        ExternalTool.RunChecked(OpenSslProgram, "req", "-x509", "-new", "-key", RootKey, "-subj", $"/CN={name} Root", "-days", "3650", "-out", Path("root.crt"),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Root = Path("root.crt");
        (Intermediate, IntermediateKey) = Sign("intermediate", $"{name} Intermediate", Root, RootKey,
            "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    public string Root { get; }

    public string RootKey { get; }

    public string Intermediate { get; }

    public string IntermediateKey { get; }

    /// <summary>A leaf signed by the intermediate; <paramref name="extensions"/> in openssl's extension-file syntax.</summary>
    public (string Crt, string Key) Leaf(string name, string extensions, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        Sign(name, name, Intermediate, IntermediateKey, extensions, notBefore ?? DateTimeOffset.UtcNow.AddHours(-1), notAfter ?? DateTimeOffset.UtcNow.AddHours(2));

    /// <summary>The usual client leaf: not a CA, digitalSignature, clientAuth, a DNS SAN.</summary>
    public static string ClientExtensions(string name) =>
        $"basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:{name}";

    private (string Crt, string Key) Sign(string file, string commonName, string issuer, string issuerKey, string extensions, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var key = Key(file);
        var csr = Path(file + ".csr");
        ExternalTool.RunChecked(OpenSslProgram, "req", "-new", "-key", key, "-subj", "/CN=" + commonName, "-out", csr);
        File.WriteAllText(Path(file + ".ext"), "[ v3 ]\n" + extensions + "\n");
        File.WriteAllText(Path("serial"), $"{Interlocked.Increment(ref _serial):X4}\n");
        var crt = Path(file + ".crt");
        ExternalTool.RunChecked(OpenSslProgram, "ca", "-config", Path("ca.cnf"), "-batch", "-notext", "-cert", issuer, "-keyfile", issuerKey, "-in", csr, "-out", crt,
            "-startdate", notBefore.UtcDateTime.ToString("yyyyMMddHHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            "-enddate", notAfter.UtcDateTime.ToString("yyyyMMddHHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            "-extfile", Path(file + ".ext"), "-extensions", "v3");
        return (crt, key);
    }

    private string Key(string name)
    {
        var key = Path(name + ".key");
        ExternalTool.RunChecked(OpenSslProgram, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key);
        return key;
    }

    private string Path(string file) => System.IO.Path.Combine(_directory, file);
}
