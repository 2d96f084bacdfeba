using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Binary;

/// <summary>
/// The operator flow without the step CLI: <c>pki-host token SUBJECT</c> prints a one-time token,
/// <c>openssl req</c> makes the CSR, Debian's <c>curl --cacert root_ca.crt</c> posts both to
/// <c>/1.0/sign</c>, and the certificate verifies with <c>openssl verify</c>.
/// </summary>
public class TokenCurlTests
{
    [Test]
    public async Task Token_command_and_curl_get_a_certificate()
    {
        ExternalTool.Require("curl", "curl");
        using var pki = await WrittenPki.CreateAsync();
        await using var host = pki.Serve();
        var port = await host.WaitUntilServingAsync();
        using var work = new TemporaryDirectory();
        var openssl = new OpenSsl(work.Path);
        var csr = openssl.Csr(openssl.NewKey(OpenSslKeyType.EcP256), "curl.host.test", "DNS:curl.host.test");

        var (exitCode, token) = await HostProcess.RunToExitAsync(pki.StepPath,
            "token", "curl.host.test", "--ca-config", pki.ConfigPath, "--password-file", pki.PasswordFile);
        exitCode.Should().Be(0, token);
        token.Trim().Split('.').Should().HaveCount(3, "a compact JWS: {0}", token);

        var request = openssl.Save(JsonSerializer.Serialize(new { csr, ott = token.Trim() }), "sign-request.json");
        var responsePath = Path.Combine(work.Path, "sign-response.json");
        var curl = ExternalTool.Run("curl", ["-sS", "--cacert", pki.RootPath, "-H", "Content-Type: application/json",
            "--data-binary", "@" + request, "-o", responsePath, "-w", "%{http_code}", $"https://127.0.0.1:{port}/1.0/sign"]);

        curl.ExitCode.Should().Be(0, curl.Stderr);
        curl.Stdout.Should().Be("201", File.Exists(responsePath) ? File.ReadAllText(responsePath) : curl.Stderr);
        var issued = IssuedResponse.Parse(File.ReadAllText(responsePath));
        var verify = OpenSsl.Verify(pki.RootPath, pki.IntermediatePath, openssl.Save(issued.CrtPem, "leaf.crt"));
        verify.ExitCode.Should().Be(0, verify.Stderr + verify.Stdout);
        using var leaf = issued.Leaf;
        leaf.Subject.Should().Be("CN=curl.host.test");
    }

    [Test]
    public async Task Token_with_a_wrong_password_exits_non_zero_without_a_stack_trace()
    {
        using var pki = await WrittenPki.CreateAsync();
        var wrong = Path.Combine(pki.StepPath, "wrong-password.txt");
        await File.WriteAllTextAsync(wrong, "not-the-password\n");

        var (exitCode, output) = await HostProcess.RunToExitAsync(pki.StepPath, "token", "x.host.test", "--ca-config", pki.ConfigPath, "--password-file", wrong);

        exitCode.Should().BeOneOf([1, 2], output);
        output.Should().Contain("password").And.NotContain("   at ").And.NotContain("Unhandled exception");
    }
}
