using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Policy;
using static Smallstep.Pki.Tests.Policy.PolicyTestData;

namespace Smallstep.Pki.Tests.Policy;

/// <summary>
/// Replays cases whose expected answer came from step-ca's own policy and constraints code
/// (Data/README.md): same verdict, same client message — except the cases marked <c>ours</c>, where
/// we refuse on purpose what step-ca lets through (the <c>why</c> member says which rule).
/// </summary>
public sealed class StepCaOracleTests
{
    private static readonly ECDsa CaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static IEnumerable<TestCaseData> Cases() =>
        File.ReadLines(Path.Combine(Fixtures.RepositoryRoot, "tests", "Pki.Core.Tests", "Policy", "Data", "step-ca-oracle.jsonl"))
            .Where(line => line.Length > 0)
            .Select((line, i) => new TestCaseData(line).SetName($"StepCa_oracle_case_{i + 1:D3}_{JsonNode.Parse(line)!["op"]}"));

    [OneTimeTearDown]
    public void DisposeKey() => CaKey.Dispose();

    [TestCaseSource(nameof(Cases))]
    public void Same_answer_as_step_ca(string line)
    {
        var c = JsonNode.Parse(line)!.AsObject();
        var expected = (string?)c["ours"] ?? (string)c["stepca"]!;
        var actual = Run(c);
        if (expected == "ERROR")
        {
            actual.Should().StartWith("ERR ", "step-ca refuses these principals with a plain error");
        }
        else
        {
            actual.Should().Be(expected, line);
        }
    }

    private static string Run(JsonObject c)
    {
        var op = (string)c["op"]!;
        try
        {
            if (op == "nc")
            {
                CaNameConstraints.FromChain([Ca(c["policy"]!)]).Check(Sans(L(c, "dns"), L(c, "ip"), L(c, "email"), L(c, "uri")));
                return "OK";
            }
            var rules = c["policy"]!.DeepClone().AsObject();
            if (op is "user" or "host")
            {
                rules.Remove("allowWildcardNames");
            }
            var json = op switch
            {
                "user" or "host" => new JsonObject { ["ssh"] = new JsonObject { [op] = rules } },
                _ => new JsonObject { ["x509"] = rules },
            };
            using var document = JsonDocument.Parse(json.ToJsonString());
            var policy = NamePolicy.Parse(document.RootElement);
            switch (op)
            {
                case "x509":
                    policy.X509.Check((string?)c["cn"], Sans(L(c, "dns"), L(c, "ip"), L(c, "email"), L(c, "uri")));
                    break;
                case "sans":
                    policy.CheckSans(L(c, "sans")!);
                    break;
                case "user":
                    policy.CheckSshUser(L(c, "principals")!);
                    break;
                default:
                    policy.CheckSshHost(L(c, "principals")!);
                    break;
            }
            return "OK";
        }
        catch (CaConfigException)
        {
            return "CONFIG";
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.Forbidden)
        {
            return "ERR " + e.Message;
        }
    }

    private static string[]? L(JsonObject c, string key) => c[key]?.AsArray().Select(n => (string)n!).ToArray();

    // One CA certificate whose NameConstraints are the case's allow (permitted) and deny (excluded) lists.
    private static X509Certificate2 Ca(JsonNode policy)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (side, tag) in new[] { ("allow", 0), ("deny", 1) })
            {
                if (policy[side] is not JsonObject names || names.Count == 0)
                {
                    continue;
                }
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, tag, true)))
                {
                    WriteStrings(writer, names, "dns", 2);
                    WriteStrings(writer, names, "email", 1);
                    WriteStrings(writer, names, "uri", 6);
                    foreach (var cidr in names["ip"]?.AsArray().Select(n => (string)n!) ?? [])
                    {
                        var parts = cidr.Split('/');
                        var address = IPAddress.Parse(parts[0]).GetAddressBytes();
                        var mask = new byte[address.Length];
                        for (var bit = 0; bit < int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture); bit++)
                        {
                            mask[bit / 8] |= (byte)(0x80 >> (bit % 8));
                        }
                        using (writer.PushSequence())
                        {
                            writer.WriteOctetString([.. address.Zip(mask, (a, m) => (byte)(a & m)), .. mask], new Asn1Tag(TagClass.ContextSpecific, 7));
                        }
                    }
                }
            }
        }
        var request = new CertificateRequest("CN=Oracle CA", CaKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension("2.5.29.30", writer.Encode(), true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    private static void WriteStrings(AsnWriter writer, JsonObject names, string key, int tag)
    {
        foreach (var value in names[key]?.AsArray().Select(n => (string)n!) ?? [])
        {
            using (writer.PushSequence())
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, value, new Asn1Tag(TagClass.ContextSpecific, tag));
            }
        }
    }
}
