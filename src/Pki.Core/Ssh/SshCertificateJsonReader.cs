using System.Text.Json;
using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Go;
using Smallstep.Pki.Templates.Functions;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// Go <c>encoding/json</c> decoding of <c>sshutil.Certificate</c> (smallstep/crypto
/// <c>sshutil/certificate.go</c>, <c>types.go</c>) with step's error wording, plus the size limits
/// of <see cref="SshCertificateDescription"/>.
/// </summary>
internal static class SshCertificateJsonReader
{
    private const string Prefix = "error unmarshaling certificate: ";

    public static SshCertificateDescription Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            // Go's Decoder.Decode reads the first value and ignores what follows.
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 64 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw PkiException.BadRequest(Prefix + (json.Trim().Length == 0 ? "EOF" : "invalid JSON: " + e.Message), e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return new SshCertificateDescription();
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Mismatch(root, "sshutil.Certificate", null);
            }

            var description = new SshCertificateDescription();
            foreach (var member in root.EnumerateObject())
            {
                description = Apply(description, member);
            }

            return description;
        }
    }

    private static SshCertificateDescription Apply(SshCertificateDescription d, JsonProperty member)
    {
        var value = member.Value;
        // encoding/json matches member names to fields case-insensitively.
        switch (member.Name.ToLowerInvariant())
        {
            case "type":
                return d with { Type = Type(value) };
            case "keyid":
                return d with { KeyId = String(value, "keyId") ?? d.KeyId };
            case "principals":
                return d with { Principals = Principals(value) };
            case "validafter":
                return value.ValueKind == JsonValueKind.Null ? d : d with { ValidAfter = Time(value, "validAfter") };
            case "validbefore":
                return value.ValueKind == JsonValueKind.Null ? d : d with { ValidBefore = Time(value, "validBefore") };
            case "criticaloptions":
                return d with { CriticalOptions = Options(value, "criticalOptions") };
            case "extensions":
                return d with { Extensions = Options(value, "extensions") };
            case "nonce":
                return d with { Nonce = Bytes(value, "nonce") };
            case "serial":
                return value.ValueKind == JsonValueKind.Null ? d : d with { Serial = Serial(value) };
            case "reserved":
                return d with { Reserved = Bytes(value, "reserved") };
            default:
                return d;
        }
    }

    /// <summary>sshutil <c>CertType.UnmarshalJSON</c>: "user" or "host", any case; null is an error too.</summary>
    private static SshCertificateType Type(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "",
            _ => throw PkiException.BadRequest(Prefix + $"error unmarshaling certificate type: json: cannot unmarshal {Kind(value)} into Go value of type string"),
        };
        return text.ToLowerInvariant() switch
        {
            "user" => SshCertificateType.User,
            "host" => SshCertificateType.Host,
            _ => throw PkiException.BadRequest(Prefix + $"error unmarshaling '{Truncate(text)}' as a certificate type"),
        };
    }

    private static string? String(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Mismatch(value, "string", field);
        return text.Length <= SshCertificateDescription.MaxStringLength
            ? text
            : throw PkiException.BadRequest(Prefix + $"{field} is longer than {SshCertificateDescription.MaxStringLength} characters");
    }

    private static IReadOnlyList<string> Principals(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Mismatch(value, "[]string", "principals");
        }

        if (value.GetArrayLength() > SshCertificateDescription.MaxPrincipals)
        {
            throw PkiException.BadRequest(Prefix + $"more than {SshCertificateDescription.MaxPrincipals} principals");
        }

        return value.EnumerateArray().Select(p => String(p, "principals") ?? "").ToList();
    }

    private static IReadOnlyDictionary<string, string> Options(JsonElement value, string field)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.ValueKind == JsonValueKind.Null)
        {
            return options;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch(value, "map[string]string", field);
        }

        foreach (var option in value.EnumerateObject())
        {
            if (option.Name.Length > SshCertificateDescription.MaxStringLength)
            {
                throw PkiException.BadRequest(Prefix + $"a name in {field} is longer than {SshCertificateDescription.MaxStringLength} characters");
            }

            options[option.Name] = String(option.Value, field) ?? "";
            if (options.Count > SshCertificateDescription.MaxOptions)
            {
                throw PkiException.BadRequest(Prefix + $"more than {SshCertificateDescription.MaxOptions} {field}");
            }
        }

        return options;
    }

    /// <summary>Go's <c>time.Time.UnmarshalJSON</c>: the raw JSON string parsed as RFC 3339.</summary>
    private static DateTimeOffset Time(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw PkiException.BadRequest(Prefix + "Time.UnmarshalJSON: input is not a JSON string");
        }

        var raw = value.GetRawText()[1..^1];
        try
        {
            var time = GoTimeParser.Parse(StepTimeFunctions.Rfc3339, raw, GoLocation.Utc, GoLocation.Utc);
            var ticks = time.UnixSeconds * TimeSpan.TicksPerSecond + time.Nanosecond / 100;
            return time.UnixSeconds is >= -62135596800 and <= 253402300799
                ? DateTimeOffset.UnixEpoch.AddTicks(ticks)
                : throw PkiException.BadRequest(Prefix + $"{field} is outside the years 1-9999");
        }
        catch (GoTimeParseException e)
        {
            throw PkiException.BadRequest(Prefix + e.Message, e);
        }
    }

    /// <summary>Go's JSON for <c>uint64</c>: digits only, in range.</summary>
    private static ulong Serial(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Mismatch(value, "uint64", "serial");
        }

        var raw = value.GetRawText();
        return raw.All(char.IsAsciiDigit) && ulong.TryParse(raw, out var serial)
            ? serial
            : throw PkiException.BadRequest(Prefix + $"json: cannot unmarshal number {Truncate(raw)} into Go struct field Certificate.serial of type uint64");
    }

    /// <summary>Go's JSON for <c>[]byte</c>: standard base64 with padding.</summary>
    private static ReadOnlyMemory<byte> Bytes(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var text = String(value, field)!;
        try
        {
            return GoBase64.Decode(text);
        }
        catch (FormatException e)
        {
            throw PkiException.BadRequest(Prefix + e.Message, e);
        }
    }

    private static PkiException Mismatch(JsonElement value, string goType, string? field) =>
        PkiException.BadRequest(Prefix + $"json: cannot unmarshal {Kind(value)} into Go " + (field is null ? "value" : $"struct field Certificate.{field}") + $" of type {goType}");

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "bool",
    };

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
