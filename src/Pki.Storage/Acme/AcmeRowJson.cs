using System.Text;
using System.Text.Json;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Go;
using Smallstep.Pki.Storage.Authority;

namespace Smallstep.Pki.Storage.Acme;

/// <summary>
/// step-ca's ACME rows (acme/db/nosql: <c>dbAccount</c>, <c>dbOrder</c>, <c>dbAuthz</c>,
/// <c>dbChallenge</c>, <c>dbCert</c>, <c>dbSerial</c>, <c>dbNonce</c>, <c>dbExternalAccountKey</c>),
/// written byte for byte as Go's <c>json.Marshal</c> writes them (member order, <c>omitempty</c>,
/// times RFC 3339, <c>[]byte</c> as standard base64), so step-ca nodes sharing the database
/// compare-and-swap against our rows without spurious conflicts.
/// </summary>
internal static class AcmeRowJson
{
    public static byte[] Account(AcmeAccount a) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", a.Id);
        json.WritePropertyName("key");
        json.WriteRawValue(a.KeyJson);
        json.StringsIfSet("contact", a.Contact);
        json.WriteString("status", a.Status);
        json.WriteString("locationPrefix", a.LocationPrefix);
        json.StringIfSet("provisionerID", a.ProvisionerId);
        json.WriteString("provisionerName", a.ProvisionerName);
        Time(json, "createdAt", a.CreatedAt);
        Time(json, "deactivatedAt", a.DeactivatedAt);
        json.WriteEndObject();
    });

    public static AcmeAccount ReadAccount(byte[] raw)
    {
        var row = Row(raw, AcmeTables.Accounts);
        var key = row.Get("key") is { ValueKind: JsonValueKind.Object } k ? k.GetRawText() : throw row.Invalid("key", "a JWK object");
        return new AcmeAccount(row.String("id") ?? "", key, row.Strings("contact"), row.String("status") ?? "", row.String("locationPrefix") ?? "",
            row.String("provisionerID") ?? "", row.String("provisionerName") ?? "", TimeOf(row, "createdAt"), TimeOf(row, "deactivatedAt"));
    }

    public static byte[] Order(AcmeOrder o) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", o.Id);
        json.WriteString("accountID", o.AccountId);
        json.WriteString("provisionerID", o.ProvisionerId);
        json.WriteStartArray("identifiers");
        foreach (var identifier in o.Identifiers)
        {
            Identifier(json, identifier);
        }
        json.WriteEndArray();
        Strings(json, "authorizationIDs", o.AuthorizationIds);
        json.WriteString("status", o.Status);
        Time(json, "notBefore", o.NotBefore);
        Time(json, "notAfter", o.NotAfter);
        Time(json, "createdAt", o.CreatedAt);
        Time(json, "expiresAt", o.ExpiresAt);
        json.StringIfSet("certificate", o.CertificateId);
        if (o.Error is { } error)
        {
            json.WritePropertyName("error");
            Problem(json, error);
        }
        json.WriteEndObject();
    });

    public static AcmeOrder ReadOrder(byte[] raw)
    {
        var row = Row(raw, AcmeTables.Orders);
        var identifiers = row.Array("identifiers").Select(e => ReadIdentifier(GoJsonObject.Read(e, "identifiers[]", Error))).ToArray();
        return new AcmeOrder(row.String("id") ?? "", row.String("accountID") ?? "", row.String("provisionerID") ?? "", identifiers, row.Strings("authorizationIDs"),
            row.String("status") ?? "", TimeOf(row, "notBefore"), TimeOf(row, "notAfter"), TimeOf(row, "createdAt"), TimeOf(row, "expiresAt"),
            NullIfEmpty(row.String("certificate")), ReadProblem(row));
    }

    public static byte[] Authorization(AcmeAuthorization a) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", a.Id);
        json.WriteString("accountID", a.AccountId);
        json.WritePropertyName("identifier");
        Identifier(json, a.Identifier);
        json.WriteString("status", a.Status);
        json.WriteString("token", a.Token);
        json.StringIfSet("fingerprint", a.Fingerprint);
        Strings(json, "challengeIDs", a.ChallengeIds);
        json.WriteBoolean("wildcard", a.Wildcard);
        Time(json, "createdAt", a.CreatedAt);
        Time(json, "expiresAt", a.ExpiresAt);
        NullableProblem(json, a.Error);
        json.WriteEndObject();
    });

    public static AcmeAuthorization ReadAuthorization(byte[] raw)
    {
        var row = Row(raw, AcmeTables.Authorizations);
        var identifier = row.Object("identifier") is { } i ? ReadIdentifier(i) : new AcmeIdentifier("", "");
        return new AcmeAuthorization(row.String("id") ?? "", row.String("accountID") ?? "", identifier, row.String("status") ?? "", row.String("token") ?? "",
            NullIfEmpty(row.String("fingerprint")), row.Strings("challengeIDs"), row.Boolean("wildcard"), TimeOf(row, "createdAt"), TimeOf(row, "expiresAt"), ReadProblem(row));
    }

    public static byte[] Challenge(AcmeChallenge c) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", c.Id);
        json.WriteString("accountID", c.AccountId);
        json.WriteString("type", c.Type);
        json.WriteString("status", c.Status);
        json.WriteString("token", c.Token);
        json.WriteString("value", c.Value);
        json.WriteString("validatedAt", c.ValidatedAt);
        Time(json, "createdAt", c.CreatedAt);
        NullableProblem(json, c.Error);
        json.WriteEndObject();
    });

    public static AcmeChallenge ReadChallenge(byte[] raw)
    {
        var row = Row(raw, AcmeTables.Challenges);
        return new AcmeChallenge(row.String("id") ?? "", row.String("accountID") ?? "", "", row.String("type") ?? "", row.String("status") ?? "",
            row.String("token") ?? "", row.String("value") ?? "", row.String("validatedAt") ?? "", TimeOf(row, "createdAt"), ReadProblem(row));
    }

    public static byte[] Certificate(AcmeCertificate c) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", c.Id);
        Time(json, "createdAt", c.CreatedAt);
        json.WriteString("accountID", c.AccountId);
        json.WriteString("orderID", c.OrderId);
        json.WriteBase64String("leaf", Encoding.ASCII.GetBytes(c.LeafPem));
        json.WriteBase64String("intermediates", Encoding.ASCII.GetBytes(c.IntermediatesPem));
        json.WriteEndObject();
    });

    public static AcmeCertificate ReadCertificate(byte[] raw)
    {
        var row = Row(raw, AcmeTables.Certificates);
        return new AcmeCertificate(row.String("id") ?? "", TimeOf(row, "createdAt"), row.String("accountID") ?? "", row.String("orderID") ?? "",
            Encoding.ASCII.GetString(row.Bytes("leaf") ?? []), Encoding.ASCII.GetString(row.Bytes("intermediates") ?? []));
    }

    public static byte[] Serial(string serial, string certificateId) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("serial", serial);
        json.WriteString("certificateID", certificateId);
        json.WriteEndObject();
    });

    public static string ReadSerialCertificateId(byte[] raw) => Row(raw, AcmeTables.SerialCertificatesIndex).String("certificateID") ?? "";

    // A used nonce: step-ca's dbNonce members (a nonce step-ca deletes on use is here marked used by
    // DeletedAt) plus ExpiresAt, which tells retention when forgetting it can no longer allow a replay.
    public static byte[] UsedNonce(string nonce, DateTimeOffset usedAt, DateTimeOffset expiresAt) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("ID", nonce);
        Time(json, "CreatedAt", usedAt);
        Time(json, "DeletedAt", usedAt);
        Time(json, "ExpiresAt", expiresAt);
        json.WriteEndObject();
    });

    public static byte[] NonceKey(byte[] key) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("alg", "HS256");
        json.WriteBase64String("key", key);
        json.WriteEndObject();
    });

    public static ReadOnlyMemory<byte> ReadNonceKey(byte[] raw)
    {
        var row = Row(raw, AcmeTables.NonceKeys);
        return row.Bytes("key") is { Length: 32 } key ? key : throw row.Invalid("key", "32 bytes, base64");
    }

    public static byte[] ExternalAccountKey(AcmeExternalAccountKey k) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", k.Id);
        json.WriteString("provisionerID", k.ProvisionerId);
        json.WriteString("reference", k.Reference);
        json.StringIfSet("accountID", k.AccountId);
        // Go marshals a nil []byte as null, an empty one as "".
        json.WriteBase64String("key", k.HmacKey);
        Time(json, "createdAt", k.CreatedAt);
        Time(json, "boundAt", k.BoundAt);
        json.WriteEndObject();
    });

    public static AcmeExternalAccountKey ReadExternalAccountKey(byte[] raw)
    {
        var row = Row(raw, AcmeTables.ExternalAccountKeys);
        return new AcmeExternalAccountKey(row.String("id") ?? "", row.String("provisionerID") ?? "", row.String("reference") ?? "", row.String("accountID") ?? "",
            row.Bytes("key") ?? [], TimeOf(row, "createdAt"), TimeOf(row, "boundAt"));
    }

    public static byte[] ExternalAccountKeyReference(string reference, string keyId) => Encode(json =>
    {
        json.WriteStartObject();
        json.WriteString("reference", reference);
        json.WriteString("externalAccountKeyID", keyId);
        json.WriteEndObject();
    });

    /// <summary>The key id of an <c>acme_external_account_keyID_reference_index</c> row.</summary>
    public static string ReadExternalAccountKeyReference(byte[] raw) =>
        Row(raw, AcmeTables.ExternalAccountKeyReferenceIndex).String("externalAccountKeyID") ?? "";

    /// <summary>A JSON array of ids (<c>acme_account_orders_index</c>, the EAB provisioner index).</summary>
    public static byte[] Ids(IReadOnlyList<string> ids) => Encode(json =>
    {
        json.WriteStartArray();
        foreach (var id in ids)
        {
            json.WriteStringValue(id);
        }
        json.WriteEndArray();
    });

    public static List<string> ReadIds(byte[]? raw, string table)
    {
        if (raw is null)
        {
            return [];
        }
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Null => [],
                JsonValueKind.Array => document.RootElement.EnumerateArray().Select(e => e.GetString() ?? "").ToList(),
                _ => throw Errors.PkiException.Internal($"stored {table} row is malformed: not an array"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Errors.PkiException.Internal($"stored {table} row is malformed: not an array of strings", e);
        }
    }

    private static byte[] Encode(Action<Utf8JsonWriter> write) => GoJsonEncoder.Encode(write, StoredRowJson.Format);

    private static GoJsonObject Row(byte[] raw, string table) => StoredRowJson.Unmarshal(raw, table + " row");

    private static Exception Error(string member, string expected, Exception? inner) => Errors.PkiException.Internal($"stored ACME row is malformed: {member} is not {expected}", inner);

    // Go time.Time, which omitempty never omits; ACME times are UTC.
    private static void Time(Utf8JsonWriter json, string name, DateTimeOffset value) =>
        json.WriteString(name, GoTimeJson.Format(value == DateTimeOffset.MinValue ? value : value.ToUniversalTime()));

    private static DateTimeOffset TimeOf(GoJsonObject row, string name) => row.Time(name) is { } t && t != DateTimeOffset.MinValue ? t.ToUniversalTime() : DateTimeOffset.MinValue;

    // A Go []string without omitempty: null when nil; ours are never nil.
    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void Identifier(Utf8JsonWriter json, AcmeIdentifier identifier)
    {
        json.WriteStartObject();
        json.WriteString("type", identifier.Type);
        json.WriteString("value", identifier.Value);
        json.WriteEndObject();
    }

    private static AcmeIdentifier ReadIdentifier(GoJsonObject o) => new(o.String("type") ?? "", o.String("value") ?? "");

    private static void Problem(Utf8JsonWriter json, AcmeProblem problem)
    {
        json.WriteStartObject();
        json.WriteString("type", problem.Type);
        json.WriteString("detail", problem.Detail);
        json.WriteEndObject();
    }

    // dbAuthz/dbChallenge: `json:"error"` without omitempty, so null when there is none.
    private static void NullableProblem(Utf8JsonWriter json, AcmeProblem? problem)
    {
        if (problem is null)
        {
            json.WriteNull("error");
            return;
        }
        json.WritePropertyName("error");
        Problem(json, problem);
    }

    private static AcmeProblem? ReadProblem(GoJsonObject row) =>
        row.Object("error") is { } e ? new AcmeProblem(e.String("type") ?? "", e.String("detail") ?? "") : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
