using Smallstep.Pki.Go;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// step's ASN.1 helpers for X.509 templates (smallstep/crypto <c>x509util/options.go</c>,
/// <c>x509util/extensions.go</c> <c>marshalValue</c>); each returns base64 DER.
/// <c>asn1Enc "type:value"</c> with type <c>printable</c> (default) <c>utf8 ia5 numeric int oid
/// bool utc generalized raw</c>; <c>asn1Marshal value [params...]</c>; <c>asn1Seq</c> and
/// <c>asn1Set</c> wrap base64 DER children in a SEQUENCE or SET (children kept in order, as step).
/// </summary>
internal static class StepAsn1Functions
{
    /// <summary>Go's <c>Time.String()</c> layout, which step accepts for utc/generalized besides RFC 3339.</summary>
    private const string TimeStringLayout = "2006-01-02 15:04:05.999999999 -0700 MST";

    public static void Register(Dictionary<string, TemplateFunction> table)
    {
        table["asn1Enc"] = (a, c) =>
        {
            FunctionArgs.Count("asn1Enc", a, 1);
            var (parameters, value) = SplitTyped(FunctionArgs.String(a[0]));
            return Convert.ToBase64String(MarshalValue(value, parameters, c));
        };
        table["asn1Marshal"] = (a, _) =>
        {
            FunctionArgs.AtLeast("asn1Marshal", a, 1);
            var parameters = string.Join(',', a[1..].Select(FunctionArgs.String));
            return Convert.ToBase64String(GoAsn1Marshal.Marshal(a[0], parameters));
        };
        table["asn1Seq"] = (a, _) => Constructed(a, 0x10);
        table["asn1Set"] = (a, _) => Constructed(a, 0x11);
    }

    /// <summary>step's <c>type:value</c> notation: the type before the first colon, printable without one.</summary>
    internal static (string Type, string Value) SplitTyped(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? ("printable", text) : (text[..colon], text[(colon + 1)..]);
    }

    /// <summary>
    /// step's <c>marshalValue</c> outside a template (typed SAN values, x509util
    /// <c>SubjectAlternativeName.RawValue</c>); throws <see cref="TemplateFunctionException"/> for a bad value.
    /// </summary>
    internal static byte[] MarshalValue(string value, string parameters) =>
        MarshalValue(value, parameters, new FunctionContext(TemplateLimits.Default, TimeProvider.System));

    /// <summary>step's <c>marshalValue</c>: the type names how the text is read; other parameters go to asn1.MarshalWithParams.</summary>
    private static byte[] MarshalValue(string value, string parameters, FunctionContext context)
    {
        string? type = null;
        var passOn = new List<string>();
        foreach (var part in parameters.Split(','))
        {
            switch (part)
            {
                case "utf8" or "ia5" or "numeric" or "printable" or "utc" or "generalized":
                    type = part;
                    passOn.Add(part);
                    break;
                case "int" or "oid" or "bool" or "boolean" or "raw":
                    type = part;
                    break;
                case "":
                    break;
                default:
                    passOn.Add(part);
                    break;
            }
        }

        var goParams = string.Join(',', passOn);
        switch (type)
        {
            case "int":
                return GoAsn1Marshal.Marshal(Atoi(value), goParams);
            case "oid":
                return GoAsn1Marshal.Marshal(ObjectIdentifier(value), goParams);
            case "raw":
                return GoBase64.Decode(value);
            case "utf8":
                return GoAsn1Marshal.Marshal(value, goParams);
            case "ia5":
                return value.All(ch => ch < 0x80) ? GoAsn1Marshal.Marshal(value, goParams) : throw new TemplateFunctionException("invalid ia5 value");
            case "numeric":
                return value.All(ch => ch is (>= '0' and <= '9') or ' ') ? GoAsn1Marshal.Marshal(value, goParams) : throw new TemplateFunctionException("invalid numeric value");
            case "utc" or "generalized":
                return GoAsn1Marshal.Marshal(ParseTime(value, type, context), goParams);
            case "bool" or "boolean":
                return GoAsn1Marshal.Marshal(ParseBool(value), goParams);
            default:
                // printable, and any unknown type: step checks with '*' and '&' allowed, Go's marshal then refuses '&'.
                return value.All(ch => ch < 0x80 && GoAsn1Marshal.IsPrintable((byte)ch, asterisk: true, ampersand: true))
                    ? GoAsn1Marshal.Marshal(value, goParams)
                    : throw new TemplateFunctionException("invalid printable value");
        }
    }

    private static long Atoi(string value) =>
        !value.Contains('_') && GoCast.TryParseInt(value, 10, out var n)
            ? n
            : throw new TemplateFunctionException($"invalid int value: strconv.Atoi: parsing {GoFormatter.Quote(value)}: invalid syntax");

    /// <summary>step's <c>parseObjectIdentifier</c>: dot-separated integers; "" is the empty OID.</summary>
    private static Asn1ObjectIdentifier ObjectIdentifier(string value)
    {
        if (value.Length == 0)
        {
            return new Asn1ObjectIdentifier([]);
        }

        var parts = value.Split('.');
        var components = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Contains('_') || !GoCast.TryParseInt(parts[i], 10, out components[i]))
            {
                throw new TemplateFunctionException($"invalid oid value: error unmarshaling json: {value} is not an ASN1 object identifier");
            }
        }

        return new Asn1ObjectIdentifier(components);
    }

    private static GoTime ParseTime(string value, string type, FunctionContext context)
    {
        try
        {
            return GoTimeParser.Parse(TimeStringLayout, value, GoLocation.Utc, context.Local);
        }
        catch (GoTimeParseException first)
        {
            try
            {
                return GoTimeParser.Parse(StepTimeFunctions.Rfc3339, value, GoLocation.Utc, context.Local);
            }
            catch (GoTimeParseException)
            {
                throw new TemplateFunctionException($"invalid {type} value: {first.Message}");
            }
        }
    }

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    private static bool ParseBool(string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw new TemplateFunctionException($"invalid bool value: strconv.ParseBool: parsing {GoFormatter.Quote(value)}: invalid syntax"),
    };

    private static string Constructed(object?[] args, int tag)
    {
        var content = new List<byte>();
        foreach (var arg in args)
        {
            content.AddRange(GoBase64.Decode(FunctionArgs.String(arg)));
        }

        return Convert.ToBase64String(GoAsn1Marshal.Tlv(0, tag, compound: true, content.ToArray()));
    }
}
