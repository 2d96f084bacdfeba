using System.Text.Json;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>The JSON of ACME resources as clients see them (RFC 8555 §7.1.2–7.1.5, in step-ca's member order). Stateless.</summary>
public static class AcmeViews
{
    /// <summary>An account object.</summary>
    public static Action<Utf8JsonWriter> Account(AcmeAccount account, AcmeLinks links) => json =>
    {
        json.WriteStartObject();
        json.WriteString("status", account.Status);
        if (account.Contact.Count > 0)
        {
            json.WriteStartArray("contact");
            foreach (var contact in account.Contact)
            {
                json.WriteStringValue(contact);
            }
            json.WriteEndArray();
        }
        json.WriteString("orders", links.Orders(account.Id));
        json.WriteEndObject();
    };

    /// <summary>An order object.</summary>
    public static Action<Utf8JsonWriter> Order(AcmeOrder order, AcmeLinks links) => json =>
    {
        json.WriteStartObject();
        json.WriteString("id", order.Id);
        json.WriteString("status", order.Status);
        Time(json, "expires", order.ExpiresAt);
        json.WriteStartArray("identifiers");
        foreach (var identifier in order.Identifiers)
        {
            Identifier(json, identifier);
        }
        json.WriteEndArray();
        Time(json, "notBefore", order.NotBefore);
        Time(json, "notAfter", order.NotAfter);
        if (order.Error is { } error)
        {
            json.WritePropertyName("error");
            Problem(json, error);
        }
        json.WriteStartArray("authorizations");
        foreach (var id in order.AuthorizationIds)
        {
            json.WriteStringValue(links.Authorization(id));
        }
        json.WriteEndArray();
        json.WriteString("finalize", links.Finalize(order.Id));
        if (order.CertificateId is { } certificate)
        {
            json.WriteString("certificate", links.Certificate(certificate));
        }
        json.WriteEndObject();
    };

    /// <summary>An authorization object with its challenges.</summary>
    public static Action<Utf8JsonWriter> Authorization(AcmeAuthorization authorization, IReadOnlyList<AcmeChallenge> challenges, AcmeLinks links) => json =>
    {
        json.WriteStartObject();
        json.WritePropertyName("identifier");
        Identifier(json, authorization.Identifier);
        json.WriteString("status", authorization.Status);
        json.WriteStartArray("challenges");
        foreach (var challenge in challenges)
        {
            Challenge(challenge, authorization.Id, links)(json);
        }
        json.WriteEndArray();
        json.WriteBoolean("wildcard", authorization.Wildcard);
        Time(json, "expires", authorization.ExpiresAt);
        if (authorization.Error is { } error)
        {
            json.WritePropertyName("error");
            Problem(json, error);
        }
        json.WriteEndObject();
    };

    /// <summary>A challenge object.</summary>
    public static Action<Utf8JsonWriter> Challenge(AcmeChallenge challenge, string authorizationId, AcmeLinks links) => json =>
    {
        json.WriteStartObject();
        json.WriteString("type", challenge.Type);
        json.WriteString("status", challenge.Status);
        json.WriteString("token", challenge.Token);
        json.WriteString("url", links.Challenge(authorizationId, challenge.Id));
        if (challenge.ValidatedAt.Length > 0)
        {
            json.WriteString("validated", challenge.ValidatedAt);
        }
        if (challenge.Error is { } error)
        {
            json.WritePropertyName("error");
            Problem(json, error);
        }
        json.WriteEndObject();
    };

    /// <summary>A problem document (RFC 7807 / RFC 8555 §6.7).</summary>
    public static void Problem(Utf8JsonWriter json, AcmeProblem problem)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(problem);
        json.WriteStartObject();
        json.WriteString("type", problem.Type);
        json.WriteString("detail", problem.Detail);
        json.WriteEndObject();
    }

    private static void Identifier(Utf8JsonWriter json, AcmeIdentifier identifier)
    {
        json.WriteStartObject();
        json.WriteString("type", identifier.Type);
        json.WriteString("value", identifier.Value);
        json.WriteEndObject();
    }

    private static void Time(Utf8JsonWriter json, string name, DateTimeOffset value) => json.WriteString(name, GoTimeJson.Format(value.ToUniversalTime()));
}
