using System.Text.Json;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// Mints sign tokens with Debian's python3-jwcrypto (the library the fixture tokens were made with),
/// an implementation independent of ours. Runs <c>/usr/bin/python3</c>, never a pyenv shim.
/// </summary>
internal static class JwcryptoTokens
{
    private const string Python = "/usr/bin/python3";

    // argv: private JWK JSON, claims JSON. Header exactly as step's CLI writes it.
    private const string Script = """
        import sys
        from jwcrypto import jwk, jws
        from jwcrypto.common import json_encode
        key = jwk.JWK.from_json(sys.argv[1])
        token = jws.JWS(sys.argv[2].encode())
        token.add_signature(key, None, json_encode({"alg": "ES256", "kid": key.get("kid"), "typ": "JWT"}))
        print(token.serialize(compact=True))
        """;

    /// <summary>Ignores the test with the reason when python3-jwcrypto is missing.</summary>
    public static void RequireAvailable()
    {
        ExternalTool.Require(Python, "python3");
        var probe = ExternalTool.Run(Python, ["-c", "import jwcrypto.jws"]);
        if (probe.ExitCode != 0)
        {
            var reason = "python3-jwcrypto unavailable (apt-get install -y python3-jwcrypto): " + probe.Stderr.Trim();
            TestContext.Out.WriteLine(reason);
            Assert.Ignore(reason);
        }
    }

    /// <summary>A sign token for <paramref name="subject"/> signed by jwcrypto with the provisioner's private JWK.</summary>
    public static string SignToken(ProvisionerKey provisioner, string subject, IReadOnlyList<string> sans)
    {
        var claims = JsonSerializer.Serialize(CompactJws.SignClaims(provisioner, subject, sans));
        return ExternalTool.RunChecked(Python, "-c", Script, provisioner.Key.ToJson(), claims).Trim();
    }
}
