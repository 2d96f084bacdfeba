using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>
/// SSHPOP against the host over a copy of the step-ca fixture PKI (its SSHPOP provisioner
/// <c>sshpop</c>): a host certificate from <c>POST /ssh/sign</c> is renewed with <c>POST /ssh/renew</c>
/// and rekeyed with <c>POST /ssh/rekey</c> by tokens signed with the host key, and the new
/// certificates are still accepted by a real <c>ssh</c> talking to a real <c>sshd</c> with strict
/// host key checking and only an <c>@cert-authority</c> line; a certificate revoked with
/// <c>POST /ssh/revoke</c> cannot be renewed. <c>ssh-keygen -L</c> reads every certificate issued.
/// </summary>
public sealed class SshPopRenewalTests : ServedPkiTests
{
    private TemporaryDirectory _work = null!;
    private SshKeygenTool _keygen = null!;
    private string _userCaFile = null!;
    private string _hostCa = null!;
    private string _userKey = null!;

    [OneTimeSetUp]
    public async Task PrepareClient()
    {
        ExternalTool.Require("ssh-keygen", "openssh-client");
        _work = new TemporaryDirectory();
        _keygen = new SshKeygenTool(_work.Path);
        using var roots = JsonDocument.Parse(await Client.GetStringAsync("/1.0/ssh/roots"));
        var userCa = roots.RootElement.GetProperty("userKey")[0].GetString()!;
        var hostCa = roots.RootElement.GetProperty("hostKey")[0].GetString()!;
        _hostCa = $"{SshdProcess.KeyType(hostCa)} {hostCa}";
        _userCaFile = Path.Combine(_work.Path, "user_ca.pub");
        File.WriteAllText(_userCaFile, $"{SshdProcess.KeyType(userCa)} {userCa}\n");
        // The client logs in with a user certificate for the login name.
        _userKey = _keygen.NewKey();
        File.WriteAllText(_userKey + "-cert.pub", AuthorizedKey(await SignAsync(_userKey, "user", Environment.UserName)));
    }

    [OneTimeTearDown]
    public void DeleteWork() => _work?.Dispose();

    [TestCase("ecdsa")]
    [TestCase("rsa")]
    public async Task A_renewed_host_certificate_is_still_accepted_by_ssh_with_strict_host_key_checking(string keyType)
    {
        var hostKey = _keygen.NewPemKey(keyType);
        var old = await SignAsync(hostKey, "host", "127.0.0.1");
        var oldListing = List(old);

        using var response = await Client.PostJsonAsync("/1.0/ssh/renew", new { ott = SshPopTokens.Create(old, hostKey, "renew", SshPopTokens.Serial(old)) });
        var renewed = await CertificateAsync(response);

        var listing = List(renewed);
        listing.Should().Contain("host certificate");
        Serial(listing).Should().NotBe(Serial(oldListing));
        Principals(listing).Should().Equal("127.0.0.1");
        KeyId(listing).Should().Be(KeyId(oldListing));
        Line(listing, "Public key").Should().Be(Line(oldListing, "Public key"), "renew keeps the key");
        Line(listing, "Signing CA").Should().Contain(SshKeygenTool.Fingerprint(Pki.Path("certs", "ssh_host_ca_key.pub")));
        await LoginShouldSucceedAsync(hostKey, renewed);
    }

    [Test]
    public async Task A_rekeyed_host_certificate_certifies_the_new_key_and_sshd_presenting_it_is_accepted()
    {
        var hostKey = _keygen.NewPemKey();
        var old = await SignAsync(hostKey, "host", "127.0.0.1");
        var newKey = _keygen.NewKey("ed25519");

        // Served at / as well as /1.0/, as step-ca's router does.
        using var response = await Client.PostJsonAsync("/ssh/rekey", new
        {
            ott = SshPopTokens.Create(old, hostKey, "rekey", SshPopTokens.Serial(old)),
            publicKey = SshKeygenTool.PublicKeyBase64(newKey),
        });
        var rekeyed = await CertificateAsync(response);

        var listing = List(rekeyed);
        listing.Should().Contain("ssh-ed25519-cert-v01@openssh.com host certificate");
        Line(listing, "Public key").Should().Contain(SshKeygenTool.Fingerprint(newKey + ".pub"));
        Principals(listing).Should().Equal("127.0.0.1");
        await LoginShouldSucceedAsync(newKey, rekeyed);
    }

    [Test]
    public async Task A_revoked_host_certificate_cannot_be_renewed()
    {
        var hostKey = _keygen.NewPemKey();
        var old = await SignAsync(hostKey, "host", "revoked.step.test");
        var serial = SshPopTokens.Serial(old);

        using (var revoke = await Client.PostJsonAsync("/1.0/ssh/revoke", new
        {
            serial, ott = SshPopTokens.Create(old, hostKey, "revoke", serial), reasonCode = 1, reason = "key compromise", passive = true,
        }))
        {
            ((int)revoke.StatusCode).Should().Be(200, await revoke.Content.ReadAsStringAsync());
            (await revoke.Content.ReadAsStringAsync()).Should().Be("{\"status\":\"ok\"}\n");
        }
        Pki.CountRows("revoked_ssh_certs").Should().BeGreaterThan(0);

        using var renew = await Client.PostJsonAsync("/1.0/ssh/renew", new { ott = SshPopTokens.Create(old, hostKey, "renew", serial) });
        await renew.ShouldBeStepErrorAsync(401);
        using var rekey = await Client.PostJsonAsync("/1.0/ssh/rekey", new
        {
            ott = SshPopTokens.Create(old, hostKey, "rekey", serial), publicKey = SshKeygenTool.PublicKeyBase64(_keygen.NewKey()),
        });
        await rekey.ShouldBeStepErrorAsync(401);
    }

    [Test]
    public async Task A_user_certificate_cannot_be_renewed()
    {
        var userKey = _keygen.NewPemKey();
        var user = await SignAsync(userKey, "user", "alice");

        using var response = await Client.PostJsonAsync("/1.0/ssh/renew", new { ott = SshPopTokens.Create(user, userKey, "renew", SshPopTokens.Serial(user)) });

        await response.ShouldBeStepErrorAsync(400, StepResponses.BadRequest("sshpop certificate must be a host ssh certificate"));
    }

    [Test]
    public async Task A_revoke_token_for_another_serial_is_forbidden()
    {
        var hostKey = _keygen.NewPemKey();
        var mine = await SignAsync(hostKey, "host", "mine.step.test");
        var victim = await SignAsync(_keygen.NewPemKey(), "host", "victim.step.test");
        var victimSerial = SshPopTokens.Serial(victim);

        using var response = await Client.PostJsonAsync("/1.0/ssh/revoke", new
        {
            serial = victimSerial, ott = SshPopTokens.Create(mine, hostKey, "revoke", SshPopTokens.Serial(mine)), passive = true,
        });

        await response.ShouldBeStepErrorAsync(403, StepResponses.Forbidden(
            $"request serial number \"{victimSerial}\" and token subject \"{SshPopTokens.Serial(mine)}\" do not match"));
    }

    private async Task LoginShouldSucceedAsync(string hostKey, string hostCertificate)
    {
        var certificateFile = Path.Combine(_work.Path, Guid.NewGuid().ToString("N") + "-cert.pub");
        File.WriteAllText(certificateFile, AuthorizedKey(hostCertificate));
        using var sshd = await SshdProcess.StartAsync(_work.Path, hostKey, _userCaFile, certificateFile);

        var login = sshd.Ssh(_userKey, _hostCa, "echo host-certificate-accepted");

        login.ExitCode.Should().Be(0, login.Stderr);
        login.Stdout.Trim().Should().Be("host-certificate-accepted");
    }

    private async Task<string> SignAsync(string keyPath, string certType, string principal)
    {
        var token = SshTokens.Sign(Pki.Provisioner, principal, new { certType, keyID = principal, principals = new[] { principal } });
        using var response = await Client.PostJsonAsync("/1.0/ssh/sign", new { publicKey = SshKeygenTool.PublicKeyBase64(keyPath), ott = token, certType });
        return await CertificateAsync(response);
    }

    // Every certificate the host issues is read back by ssh-keygen -L, which checks the CA signature.
    private async Task<string> CertificateAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(201, body);
        using var json = JsonDocument.Parse(body);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("crt");
        var certificate = json.RootElement.GetProperty("crt").GetString()!;
        List(certificate).Should().Contain(SshdProcess.KeyType(certificate));
        return certificate;
    }

    private string List(string certificate) => _keygen.List(certificate, SshdProcess.KeyType(certificate));

    private static string AuthorizedKey(string certificate) => $"{SshdProcess.KeyType(certificate)} {certificate}\n";

    private static string Line(string listing, string name) => listing.Split('\n').Single(l => l.Trim().StartsWith(name + ":", StringComparison.Ordinal)).Trim();

    private static string Serial(string listing) => Line(listing, "Serial");

    private static string KeyId(string listing) => Line(listing, "Key ID");

    private static List<string> Principals(string listing)
    {
        var lines = listing.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "Principals:");
        return lines.Skip(start + 1).TakeWhile(l => l.StartsWith("                ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
    }
}
