using System.Text.Json;

namespace Smallstep.Pki.Tests.Jose;

/// <summary>The step-ca 0.19 JWK provisioner data and the tokens step-ca accepted.</summary>
internal static class JoseFixtures
{
    public const string Password = "fixture-test-password";
    public const string KeyId = "RyEdhNd9RMmWi9umlm2DaY5wfMHzzTpzvnN8rHAD0qw";

    /// <summary>A time at which every fixture token had been issued; they expired by 13:40 UTC.</summary>
    public static readonly DateTimeOffset IssuedWindow = new(2026, 11, 22, 13, 34, 0, TimeSpan.Zero);

    private static readonly Lazy<JsonElement> Provisioner = new(() =>
    {
        using var ca = JsonDocument.Parse(Fixtures.Text("pki", "config", "ca.json"));
        return ca.RootElement.GetProperty("authority").GetProperty("provisioners")[0].Clone();
    });

    /// <summary>ca.json <c>authority.provisioners[0].key</c>.</summary>
    public static JsonElement ProvisionerKey => Provisioner.Value.GetProperty("key");

    /// <summary>ca.json <c>authority.provisioners[0].encryptedKey</c>.</summary>
    public static string EncryptedKey => Provisioner.Value.GetProperty("encryptedKey").GetString()!;

    /// <summary>Every token in issued/index.json (X.509 sign tokens and SSH sign tokens), by name.</summary>
    public static IEnumerable<TestCaseData> AcceptedTokens()
    {
        using var index = JsonDocument.Parse(Fixtures.Text("issued", "index.json"));
        foreach (var entry in index.RootElement.GetProperty("x509").EnumerateArray())
        {
            if (entry.TryGetProperty("sign_token", out var token))
            {
                yield return Case(entry, token);
            }
        }
        foreach (var entry in index.RootElement.GetProperty("ssh").EnumerateArray())
        {
            yield return Case(entry, entry.GetProperty("token"));
        }
    }

    private static TestCaseData Case(JsonElement entry, JsonElement token) =>
        new TestCaseData(token.GetProperty("token").GetString(), token.GetProperty("claims").GetRawText())
            .SetArgDisplayNames(entry.GetProperty("name").GetString()!);
}
