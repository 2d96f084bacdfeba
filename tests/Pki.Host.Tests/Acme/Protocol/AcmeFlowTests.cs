using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Smallstep.Pki.Tests.Host.Acme.Protocol;

/// <summary>RFC 8555 flows end to end over Kestrel: account, order, challenge, finalize, download, revoke, key rollover.</summary>
[TestFixture]
public sealed class AcmeFlowTests
{
    private AcmeTestServer _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await AcmeTestServer.StartAsync(json =>
    {
        json["authority"]!["policy"] = new JsonObject { ["x509"] = new JsonObject { ["deny"] = new JsonObject { ["dns"] = new JsonArray("*.forbidden.example") }, ["allowWildcardNames"] = true } };
        var provisioners = json["authority"]!["provisioners"]!.AsArray();
        provisioners.Add(new JsonObject
        {
            ["type"] = "ACME", ["name"] = "restricted", ["forceCN"] = true, ["termsOfService"] = "https://example.com/tos",
            ["challenges"] = new JsonArray("dns-01"),
            ["policy"] = new JsonObject { ["x509"] = new JsonObject { ["allow"] = new JsonObject { ["dns"] = new JsonArray("*.internal.example") }, ["allowWildcardNames"] = true } },
        });
    });

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    internal static byte[] Csr(ECDsa key, string? commonName, params string[] names)
    {
        var request = new CertificateRequest(commonName is null ? "" : $"CN={commonName}", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                sans.AddIpAddress(ip);
            }
            else
            {
                sans.AddDnsName(name);
            }
        }
        if (names.Length > 0)
        {
            request.CertificateExtensions.Add(sans.Build());
        }
        return request.CreateSigningRequest();
    }

    /// <summary>Account, order, every authorization validated, finalize; returns the order and the certificate chain.</summary>
    internal static async Task<(JsonObject Order, string Chain)> IssueAsync(AcmeTestServer server, AcmeTestClient client, ECDsa certificateKey, params string[] names)
    {
        var (orderUrl, order) = await client.NewOrderAsync(names);
        foreach (var authorizationUrl in order["authorizations"]!.AsArray().Select(a => a!.GetValue<string>()))
        {
            using var authorization = await client.PostAsync(authorizationUrl, null);
            var challenge = (await AcmeTestClient.Json(authorization))["challenges"]!.AsArray().First()!.AsObject();
            var challengeUrl = challenge["url"]!.GetValue<string>();
            using var started = await client.PostAsync(challengeUrl, new JsonObject());
            started.StatusCode.Should().Be(HttpStatusCode.OK);
            (await AcmeTestClient.Json(started))["status"]!.GetValue<string>().Should().Be("processing");
            started.Headers.GetValues("Link").Should().Contain($"<{authorizationUrl}>;rel=\"up\"");
            started.Headers.RetryAfter.Should().NotBeNull();
            (await server.SettledAsync(challengeUrl.Split('/')[^1])).Should().Be("valid");
        }
        using (var ready = await client.PostAsync(orderUrl, null))
        {
            (await AcmeTestClient.Json(ready))["status"]!.GetValue<string>().Should().Be("ready");
        }
        using var finalized = await client.PostAsync(order["finalize"]!.GetValue<string>(),
            new JsonObject { ["csr"] = AcmeTestClient.B64(Csr(certificateKey, names.FirstOrDefault(n => !IPAddress.TryParse(n, out _)), names)) });
        var body = await finalized.Content.ReadAsStringAsync();
        finalized.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var valid = JsonNode.Parse(body)!.AsObject();
        valid["status"]!.GetValue<string>().Should().Be("valid");
        using var download = await client.PostAsync(valid["certificate"]!.GetValue<string>(), null);
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.Should().Be("application/pem-certificate-chain");
        return (valid, await download.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Directory_lists_the_resources_with_https_urls_on_both_prefixes()
    {
        using var http = _server.CreateHttpClient();
        foreach (var path in new[] { "/acme/acme/directory", "/2.0/acme/acme/directory" })
        {
            var directory = JsonNode.Parse(await http.GetStringAsync(path))!.AsObject();
            directory["newNonce"]!.GetValue<string>().Should().Be($"https://{_server.Host}/acme/acme/new-nonce");
            directory["keyChange"]!.GetValue<string>().Should().Be($"https://{_server.Host}/acme/acme/key-change");
            directory.ContainsKey("meta").Should().BeFalse();
        }
        var restricted = JsonNode.Parse(await http.GetStringAsync("/acme/restricted/directory"))!;
        restricted["meta"]!["termsOfService"]!.GetValue<string>().Should().Be("https://example.com/tos");
    }

    [Test]
    public async Task New_nonce_answers_head_200_and_get_204_with_a_fresh_nonce_not_to_be_cached()
    {
        using var http = _server.CreateHttpClient();
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/acme/acme/new-nonce"));
        using var get = await http.GetAsync("/acme/acme/new-nonce");
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        get.StatusCode.Should().Be(HttpStatusCode.NoContent);
        head.Headers.GetValues("Replay-Nonce").Single().Should().HaveLength(50).And.NotBe(get.Headers.GetValues("Replay-Nonce").Single());
        get.Headers.CacheControl!.NoStore.Should().BeTrue();
        get.Headers.GetValues("Link").Should().Contain($"<https://{_server.Host}/acme/acme/directory>;rel=\"index\"");
    }

    [TestCase("ES256")]
    [TestCase("RS256")]
    public async Task A_certificate_is_ordered_validated_finalized_downloaded_and_revoked_by_its_account(string algorithm)
    {
        using var client = new AcmeTestClient(_server, algorithm);
        await client.NewAccountAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var (order, chain) = await IssueAsync(_server, client, key, "www.example.com", "example.com", "10.0.0.7");

        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(chain);
        certificates.Should().HaveCount(2, "leaf and intermediate");
        var leaf = certificates[0];
        leaf.GetNameInfo(X509NameType.SimpleName, false).Should().Be("www.example.com");
        leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().Should().BeEquivalentTo("example.com", "www.example.com");
        leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().Should().Equal(IPAddress.Parse("10.0.0.7"));
        _server.Validator.Attempts.Should().Contain(a => a.IdentifierValue == "10.0.0.7" && a.IdentifierType == "ip");
        var serial = new System.Numerics.BigInteger(leaf.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString();
        var metadata = await _server.Services.GetRequiredService<Smallstep.Pki.Storage.ICertificateStore>().GetMetadataAsync(serial);
        metadata!.Provisioner.Should().Be(new Smallstep.Pki.Storage.ProvisionerReference("acme/acme", "acme", "ACME"));
        (await _server.Services.GetRequiredService<Smallstep.Pki.Acme.IAcmeStore>().GetCertificateIdBySerialAsync(serial)).Should().Be(order["certificate"]!.GetValue<string>().Split('/')[^1]);

        var revoke = new JsonObject { ["certificate"] = AcmeTestClient.B64(leaf.RawData), ["reason"] = 4 };
        using (var revoked = await client.PostAsync($"{client.Base}/revoke-cert", revoke))
        {
            revoked.StatusCode.Should().Be(HttpStatusCode.OK, await revoked.Content.ReadAsStringAsync());
        }
        using var again = await client.PostAsync($"{client.Base}/revoke-cert", revoke.DeepClone());
        (await AcmeTestClient.ProblemType(again)).Should().Be("urn:ietf:params:acme:error:alreadyRevoked");
        order["certificate"].Should().NotBeNull();
    }

    [Test]
    public async Task Renewal_information_suggests_the_last_third_and_replaces_names_the_accounts_certificate()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (_, chain) = await IssueAsync(_server, client, key, "ari.example.com");
        using var leaf = X509Certificate2.CreateFromPem(chain);
        var aki = leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray();
        var certId = AcmeTestClient.B64(aki) + "." + AcmeTestClient.B64(leaf.SerialNumberBytes.ToArray());

        using var http = _server.CreateHttpClient();
        using var info = await http.GetAsync($"/acme/acme/renewal-info/{certId}");
        info.StatusCode.Should().Be(HttpStatusCode.OK, await info.Content.ReadAsStringAsync());
        info.Headers.RetryAfter.Should().NotBeNull();
        var window = (await AcmeTestClient.Json(info))["suggestedWindow"]!;
        var start = DateTimeOffset.Parse(window["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(window["end"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        start.Should().BeAfter(leaf.NotBefore.ToUniversalTime()).And.BeBefore(end);
        end.Should().BeBefore(leaf.NotAfter.ToUniversalTime());
        using var unknown = await http.GetAsync($"/acme/acme/renewal-info/{AcmeTestClient.B64(aki)}.AQ");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);

        var replaces = new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = "ari.example.com" }),
            ["replaces"] = certId,
        };
        using var renewal = await client.PostAsync($"{client.Base}/new-order", replaces);
        renewal.StatusCode.Should().Be(HttpStatusCode.Created, await renewal.Content.ReadAsStringAsync());
        using var other = new AcmeTestClient(_server);
        await other.NewAccountAsync();
        using var refused = await other.PostAsync($"{other.Base}/new-order", replaces.DeepClone());
        (await AcmeTestClient.ProblemType(refused)).Should().Be("urn:ietf:params:acme:error:malformed");
        using var second = await client.PostAsync($"{client.Base}/new-order", replaces.DeepClone());
        second.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await AcmeTestClient.ProblemType(second)).Should().Be("urn:ietf:params:acme:error:alreadyReplaced", "RFC 9773 §5: one order replaces a certificate");
        var unrelated = replaces.DeepClone().AsObject();
        unrelated["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = "elsewhere.example.com" });
        using var elsewhere = await client.PostAsync($"{client.Base}/new-order", unrelated);
        (await AcmeTestClient.ProblemType(elsewhere)).Should().Be("urn:ietf:params:acme:error:malformed", "the order must share an identifier with the certificate");
    }

    [Test]
    public async Task A_certificate_is_revoked_by_its_own_key()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (_, chain) = await IssueAsync(_server, client, key, "bykey.example.com");
        using var leaf = X509Certificate2.CreateFromPem(chain);

        using var byKey = new AcmeTestClient(_server);
        byKey.UseKey(Smallstep.Pki.Provisioners.Jose.JsonWebKey.FromEcdsa(key, includePrivateKey: true));
        using var revoked = await byKey.PostAsync($"{byKey.Base}/revoke-cert", new JsonObject { ["certificate"] = AcmeTestClient.B64(leaf.RawData) }, embedKey: true);
        revoked.StatusCode.Should().Be(HttpStatusCode.OK, await revoked.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task An_existing_key_gets_its_account_back_and_only_return_existing_finds_nothing_new()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        var first = client.AccountUrl;
        using var again = await client.PostAsync($"{client.Base}/new-account", new JsonObject { ["onlyReturnExisting"] = true }, embedKey: true);
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        again.Headers.Location!.ToString().Should().Be(first);

        using var stranger = new AcmeTestClient(_server);
        using var missing = await stranger.PostAsync($"{stranger.Base}/new-account", new JsonObject { ["onlyReturnExisting"] = true }, embedKey: true);
        (await AcmeTestClient.ProblemType(missing)).Should().Be("urn:ietf:params:acme:error:accountDoesNotExist");
    }

    [Test]
    public async Task Key_change_rolls_the_account_over_to_the_new_key()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        var newKey = Smallstep.Pki.Provisioners.Jose.JsonWebKey.Generate("ES256");
        var url = $"{client.Base}/key-change";
        var inner = AcmeTestClient.Sign(newKey, "ES256", url, new JsonObject { ["account"] = client.AccountUrl, ["oldKey"] = AcmeTestClient.PublicJwk(client.Key) }, kid: null, nonce: null);

        using var changed = await client.PostAsync(url, inner);
        changed.StatusCode.Should().Be(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());

        using var oldKey = await client.PostAsync(client.AccountUrl!, null);
        ((int)oldKey.StatusCode).Should().BeInRange(400, 499);
        client.UseKey(newKey);
        using var newKeyWorks = await client.PostAsync(client.AccountUrl!, null);
        newKeyWorks.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task An_account_is_deactivated_and_then_refused()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        using var deactivated = await client.PostAsync(client.AccountUrl!, new JsonObject { ["status"] = "deactivated" });
        (await AcmeTestClient.Json(deactivated))["status"]!.GetValue<string>().Should().Be("deactivated");
        using var refused = await client.PostAsync($"{client.Base}/new-order", new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = "a.example" }) });
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_csr_naming_other_identifiers_is_bad_csr()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        var (orderUrl, order) = await client.NewOrderAsync("csr.example.com");
        await ValidateAllAsync(client, order, _server);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var finalized = await client.PostAsync(order["finalize"]!.GetValue<string>(), new JsonObject { ["csr"] = AcmeTestClient.B64(Csr(key, null, "csr.example.com", "extra.example.com")) });
        (await AcmeTestClient.ProblemType(finalized)).Should().Be("urn:ietf:params:acme:error:badCSR");
        orderUrl.Should().NotBeNull();
    }

    [Test]
    public async Task The_provisioner_policy_rejects_identifiers_and_wildcards_get_dns_01_only()
    {
        using var client = new AcmeTestClient(_server, provisioner: "restricted");
        await client.NewAccountAsync();
        using var rejected = await client.PostAsync($"{client.Base}/new-order", new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = "www.example.com" }) });
        (await AcmeTestClient.ProblemType(rejected)).Should().Be("urn:ietf:params:acme:error:rejectedIdentifier");

        using var byAuthority = await client.PostAsync($"{client.Base}/new-order", new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = "a.forbidden.example" }) });
        (await AcmeTestClient.ProblemType(byAuthority)).Should().Be("urn:ietf:params:acme:error:rejectedIdentifier");
        JsonNode.Parse(await byAuthority.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().Should().Contain("authority's policy",
            "authority.policy is checked at new-order, before the provisioner's");

        var (_, order) = await client.NewOrderAsync("*.internal.example");
        using var authorization = await client.PostAsync(order["authorizations"]![0]!.GetValue<string>(), null);
        var json = await AcmeTestClient.Json(authorization);
        json["wildcard"]!.GetValue<bool>().Should().BeTrue();
        json["identifier"]!["value"]!.GetValue<string>().Should().Be("internal.example");
        json["challenges"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()).Should().Equal("dns-01");
    }

    [Test]
    public async Task A_challenge_failing_validation_is_invalid_with_its_problem_and_so_is_the_order()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        var (orderUrl, order) = await client.NewOrderAsync("fails.example.com");
        _server.Validator.Answer(new(Smallstep.Pki.Provisioners.Acme.Challenges.AcmeChallengeVerdict.RetryLater, "connection", "refused"),
            new(Smallstep.Pki.Provisioners.Acme.Challenges.AcmeChallengeVerdict.Invalid, "incorrectResponse", "wrong key authorization"));
        using var authorization = await client.PostAsync(order["authorizations"]![0]!.GetValue<string>(), null);
        var challengeUrl = (await AcmeTestClient.Json(authorization))["challenges"]![0]!["url"]!.GetValue<string>();
        using (await client.PostAsync(challengeUrl, new JsonObject()))
        {
        }
        (await _server.SettledAsync(challengeUrl.Split('/')[^1])).Should().Be("invalid");

        using var challenge = await client.PostAsync(challengeUrl, null);
        (await AcmeTestClient.Json(challenge))["error"]!["type"]!.GetValue<string>().Should().Be("urn:ietf:params:acme:error:incorrectResponse");
        using var invalid = await client.PostAsync(orderUrl, null);
        (await AcmeTestClient.Json(invalid))["status"]!.GetValue<string>().Should().Be("invalid");
    }

    [Test]
    public async Task An_authorization_is_deactivated_and_its_order_becomes_invalid()
    {
        using var client = new AcmeTestClient(_server);
        await client.NewAccountAsync();
        var (orderUrl, order) = await client.NewOrderAsync("deactivate.example.com");
        using var deactivated = await client.PostAsync(order["authorizations"]![0]!.GetValue<string>(), new JsonObject { ["status"] = "deactivated" });
        (await AcmeTestClient.Json(deactivated))["status"]!.GetValue<string>().Should().Be("deactivated");
        using var invalid = await client.PostAsync(orderUrl, null);
        (await AcmeTestClient.Json(invalid))["status"]!.GetValue<string>().Should().Be("invalid");
    }

    [Test]
    public async Task Orders_list_names_the_pending_orders_of_the_account()
    {
        using var client = new AcmeTestClient(_server);
        var account = await client.NewAccountAsync();
        var (first, _) = await client.NewOrderAsync("list1.example.com");
        var (second, _) = await client.NewOrderAsync("list2.example.com");
        using var list = await client.PostAsync(account["orders"]!.GetValue<string>(), null);
        (await AcmeTestClient.Json(list))["orders"]!.AsArray().Select(o => o!.GetValue<string>()).Should().BeEquivalentTo(first, second);
    }

    internal static async Task ValidateAllAsync(AcmeTestClient client, JsonObject order, AcmeTestServer? server = null)
    {
        foreach (var authorizationUrl in order["authorizations"]!.AsArray().Select(a => a!.GetValue<string>()))
        {
            using var authorization = await client.PostAsync(authorizationUrl, null);
            var challengeUrl = (await AcmeTestClient.Json(authorization))["challenges"]![0]!["url"]!.GetValue<string>();
            using (await client.PostAsync(challengeUrl, new JsonObject()))
            {
            }
            if (server is not null)
            {
                await server.SettledAsync(challengeUrl.Split('/')[^1]);
            }
        }
    }
}
