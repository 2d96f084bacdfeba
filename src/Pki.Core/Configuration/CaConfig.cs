using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// A step-ca <c>ca.json</c> (authority/config/config.go <c>Config</c>). Members mirror the file:
/// absent blocks are null and <c>Effective*</c> members apply step-ca's defaults; the one
/// exception is <see cref="DnsNames"/>, which is defaulted when absent as step-ca does on load.
/// Unknown members are kept in <see cref="ExtensionData"/> (and reported when parsing).
/// </summary>
/// <remarks>
/// Paths are kept as written; resolve them with <see cref="CaConfigLoadResult.ResolvePath"/>.
/// </remarks>
public sealed record CaConfig
{
    /// <summary>The <c>dnsNames</c> used when the member is absent.</summary>
    public static IReadOnlyList<string> DefaultDnsNames { get; } = ["localhost", "127.0.0.1", "::1"];

    /// <summary>The <c>commonName</c> used when the member is absent or empty.</summary>
    public const string DefaultCommonName = "Step Online CA";

    /// <summary><c>root</c> (a string or an array in the file): root certificate PEM files.</summary>
    public IReadOnlyList<string> Roots { get; init; } = [];

    /// <summary><c>federatedRoots</c>: other roots served by <c>/federation</c> (null when absent or null).</summary>
    public IReadOnlyList<string>? FederatedRoots { get; init; }

    /// <summary><c>crt</c>: intermediate certificate (bundle) PEM file; the first certificate signs.</summary>
    public string IntermediateCertificate { get; init; } = string.Empty;

    /// <summary><c>key</c>: intermediate private key file, or a KMS key URI.</summary>
    public string IntermediateKey { get; init; } = string.Empty;

    /// <summary><c>address</c>: HTTPS listen address, <c>host:port</c> (host may be empty).</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary><c>insecureAddress</c>: plain HTTP listen address for SCEP and CRL; empty = none.</summary>
    public string InsecureAddress { get; init; } = string.Empty;

    /// <summary><c>dnsNames</c>: CA names (token audiences, TLS certificate SANs). <see cref="DefaultDnsNames"/> when absent; an empty array stays empty.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = DefaultDnsNames;

    /// <summary><c>kms</c>: key manager of the CA keys; null = softkms.</summary>
    public KmsConfig? Kms { get; init; }

    /// <summary><c>ssh</c>: SSH CA keys; null = no SSH CA.</summary>
    public SshConfig? Ssh { get; init; }

    /// <summary><c>logger</c>: log format.</summary>
    public LoggerConfig? Logger { get; init; }

    /// <summary><c>db</c>: storage; null = no database (no ACME, no revocation, no replay protection).</summary>
    public DatabaseConfig? Db { get; init; }

    /// <summary><c>monitoring</c>: kept as JSON (not used by open-source step-ca).</summary>
    public JsonElement? Monitoring { get; init; }

    /// <summary><c>authority</c>: provisioners, claims, policy and RA settings (empty when absent).</summary>
    public AuthorityConfig Authority { get; init; } = new();

    /// <summary><c>tls</c>: HTTPS server options; see <see cref="EffectiveTls"/>.</summary>
    public TlsConfig? Tls { get; init; }

    /// <summary><c>password</c>: decrypts <see cref="IntermediateKey"/> and the SSH keys when no password file is given.</summary>
    public string? Password { get; init; }

    /// <summary><c>templates</c>: SSH configuration templates.</summary>
    public TemplatesConfig? Templates { get; init; }

    /// <summary><c>commonName</c> of the CA's own TLS certificate; see <see cref="EffectiveCommonName"/>.</summary>
    public string? CommonName { get; init; }

    /// <summary><c>crl</c>: certificate revocation list settings.</summary>
    public CrlConfig? Crl { get; init; }

    /// <summary><c>metricsAddress</c>: listen address of the metrics endpoint; empty = none.</summary>
    public string? MetricsAddress { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary><see cref="CommonName"/>, or <see cref="DefaultCommonName"/> when absent or empty.</summary>
    public string EffectiveCommonName => string.IsNullOrEmpty(CommonName) ? DefaultCommonName : CommonName;

    /// <summary><see cref="Tls"/>, or <see cref="TlsConfig.Default"/> when absent.</summary>
    public TlsConfig EffectiveTls => Tls ?? TlsConfig.Default;

    /// <summary>True when the CRL is generated and served.</summary>
    public bool IsCrlEnabled => Crl is { Enabled: true };

    /// <summary>A short description without secrets (the generated record text would print <see cref="Password"/>).</summary>
    public override string ToString() =>
        $"CaConfig {{ Address = {Address}, DnsNames = [{string.Join(", ", DnsNames)}], Provisioners = {Authority.Provisioners.Count} }}";

    /// <summary>
    /// Parses ca.json text. Malformed JSON, values of the wrong type and invalid durations throw
    /// one <see cref="CaConfigException"/> listing every problem with its field path; unknown
    /// members are kept and reported to <paramref name="warnings"/>. No file is read and nothing
    /// is validated beyond the JSON shape (that is <see cref="CaConfigLoader.Load"/>'s job).
    /// </summary>
    public static CaConfig Parse(string json, ICollection<ConfigDiagnostic>? warnings = null) =>
        ConfigDocument.ParseObject(json, "ca.json", Read, warnings);

    /// <summary>
    /// Writes the configuration as <c>step ca init</c> does: step's field order, Go's
    /// <c>omitempty</c> rules, tab indentation, no trailing newline. Provisioners are written
    /// from <see cref="ProvisionerConfig.Json"/>; unknown members follow the known ones.
    /// </summary>
    public string ToJson() => GoJsonEncoder.EncodeToString(WriteTo, FileFormat);

    /// <summary>
    /// The layout of step's configuration files, <c>json.MarshalIndent(v, "", "\t")</c>, but with
    /// <c>&lt; &gt; &amp;</c> left readable (no HTML escaping): both forms decode to the same text.
    /// </summary>
    internal static GoJsonFormat FileFormat { get; } = GoJsonFormat.Go122Marshal with { Indent = "\t", EscapeHtml = false };

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> as UTF-8 without a byte order mark.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson(), new System.Text.UTF8Encoding(false));

    /// <summary>Writes the configuration object to <paramref name="writer"/> (see <see cref="ToJson"/>).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var w = writer;
        w.WriteStartObject();
        WriteRoot(w);
        w.Strings("federatedRoots", FederatedRoots);
        w.WriteString("crt", IntermediateCertificate);
        w.WriteString("key", IntermediateKey);
        w.WriteString("address", Address);
        w.WriteString("insecureAddress", InsecureAddress);
        w.Strings("dnsNames", DnsNames);
        w.ObjectIfSet("kms", Kms, static (k, w) => k.Write(w));
        w.ObjectIfSet("ssh", Ssh, static (s, w) => s.Write(w));
        w.ObjectIfSet("logger", Logger, static (l, w) => l.Write(w));
        w.ObjectIfSet("db", Db, static (d, w) => d.Write(w));
        w.RawIfSet("monitoring", Monitoring);
        w.WritePropertyName("authority");
        Authority.Write(w);
        w.ObjectIfSet("tls", Tls, static (t, w) => t.Write(w));
        w.StringIfSet("password", Password);
        w.ObjectIfSet("templates", Templates, static (t, w) => t.Write(w));
        w.StringIfSet("commonName", CommonName);
        w.ObjectIfSet("crl", Crl, static (c, w) => c.Write(w));
        w.StringIfSet("metricsAddress", MetricsAddress);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }

    internal static CaConfig Read(ConfigObjectReader r) => new()
    {
        Roots = ReadRoot(r),
        FederatedRoots = r.Strings("federatedRoots"),
        IntermediateCertificate = r.String("crt") ?? string.Empty,
        IntermediateKey = r.String("key") ?? string.Empty,
        Address = r.String("address") ?? string.Empty,
        InsecureAddress = r.String("insecureAddress") ?? string.Empty,
        DnsNames = r.Strings("dnsNames") ?? DefaultDnsNames,
        Kms = r.Object("kms", KmsConfig.Read),
        Ssh = r.Object("ssh", SshConfig.Read),
        Logger = r.Object("logger", LoggerConfig.Read),
        Db = r.Object("db", DatabaseConfig.Read),
        Monitoring = r.Raw("monitoring"),
        Authority = r.Object("authority", AuthorityConfig.Read) ?? new AuthorityConfig(),
        Tls = r.Object("tls", TlsConfig.Read),
        Password = r.String("password"),
        Templates = r.Object("templates", TemplatesConfig.Read),
        CommonName = r.String("commonName"),
        Crl = r.Object("crl", CrlConfig.Read),
        MetricsAddress = r.String("metricsAddress"),
        ExtensionData = r.Remaining(),
    };

    // multiString (authority/config/types.go): a string or an array of strings.
    private static IReadOnlyList<string> ReadRoot(ConfigObjectReader r)
    {
        if (!r.TryGet("root", out var value))
        {
            return [];
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Array:
                return r.Strings("root") ?? [];
            default:
                r.Diagnostics.Add(ConfigDiagnostic.Error(r.FieldPath("root"), "expected a string or an array of strings"));
                return [];
        }
    }

    // multiString.MarshalJSON: no element = "", one = a string, more = an array.
    private void WriteRoot(Utf8JsonWriter w)
    {
        if (Roots.Count > 1)
        {
            w.Strings("root", Roots);
        }
        else
        {
            w.WriteString("root", Roots.Count == 1 ? Roots[0] : string.Empty);
        }
    }
}
