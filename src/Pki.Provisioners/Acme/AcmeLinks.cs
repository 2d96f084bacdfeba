namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// The URLs the server emits for one provisioner (step-ca acme/linker.go): always <c>https://</c>,
/// the request's host and <c>/acme/{provisioner}</c>, never the <c>/2.0</c> prefix. Immutable.
/// </summary>
/// <param name="Base">The prefix, <c>https://host/acme/{escaped name}</c>.</param>
public sealed record AcmeLinks(string Base)
{
    /// <summary>The links for <paramref name="provisioner"/> as reached at <paramref name="host"/>.</summary>
    public static AcmeLinks For(string host, string provisioner) => new($"https://{host}/acme/{Uri.EscapeDataString(provisioner)}");

    /// <summary>The directory (RFC 8555 §7.1.1).</summary>
    public string Directory => Base + "/directory";

    /// <summary>newNonce.</summary>
    public string NewNonce => Base + "/new-nonce";

    /// <summary>newAccount.</summary>
    public string NewAccount => Base + "/new-account";

    /// <summary>newOrder.</summary>
    public string NewOrder => Base + "/new-order";

    /// <summary>revokeCert.</summary>
    public string RevokeCert => Base + "/revoke-cert";

    /// <summary>keyChange.</summary>
    public string KeyChange => Base + "/key-change";

    /// <summary>renewalInfo (RFC 9773 §4).</summary>
    public string RenewalInfo => Base + "/renewal-info";

    /// <summary>The account URL prefix stored as <c>locationPrefix</c>.</summary>
    public string AccountPrefix => Base + "/account/";

    /// <summary>An account.</summary>
    public string Account(string id) => AccountPrefix + id;

    /// <summary>An account's orders list.</summary>
    public string Orders(string accountId) => Account(accountId) + "/orders";

    /// <summary>An order.</summary>
    public string Order(string id) => $"{Base}/order/{id}";

    /// <summary>An order's finalize URL.</summary>
    public string Finalize(string id) => Order(id) + "/finalize";

    /// <summary>An authorization.</summary>
    public string Authorization(string id) => $"{Base}/authz/{id}";

    /// <summary>A challenge.</summary>
    public string Challenge(string authorizationId, string id) => $"{Base}/challenge/{authorizationId}/{id}";

    /// <summary>A certificate.</summary>
    public string Certificate(string id) => $"{Base}/certificate/{id}";
}
