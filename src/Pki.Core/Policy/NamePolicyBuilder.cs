using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Policy.Rules;

namespace Smallstep.Pki.Policy;

/// <summary>
/// Turns a <c>policy</c> object into a <see cref="NamePolicy"/>, reporting every problem with its
/// JSON path. Engines are created as step-ca creates them (authority/policy/policy.go): an
/// X.509 or SSH user/host engine exists only when its allow or deny lists hold at least one
/// name, so <c>{"x509":{"allowWildcardNames":true}}</c> alone is no policy.
/// </summary>
internal static class NamePolicyBuilder
{
    private const string Source = "name policy";

    public static NamePolicy Build(JsonElement policy, string path, NamePolicyScope scope)
    {
        if (policy.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return NamePolicy.None;
        }
        var diagnostics = new List<ConfigDiagnostic>();
        var reader = ConfigObjectReader.Open(policy, path, diagnostics);
        var config = reader is null ? null : PolicyConfig.Read(reader);
        return Build(config, path, scope, diagnostics.Where(d => d.Severity == ConfigDiagnosticSeverity.Error));
    }

    public static NamePolicy Build(PolicyConfig? config, string path, NamePolicyScope scope, IEnumerable<ConfigDiagnostic> earlier)
    {
        var errors = new List<ConfigDiagnostic>(earlier);
        if (config is null)
        {
            ThrowIfAny(errors);
            return NamePolicy.None;
        }
        Unknown(config.ExtensionData, path, errors);
        var compiler = new RuleCompiler(errors);
        var x509 = X509(config.X509, $"{path}.x509", compiler, errors);
        var sshPath = $"{path}.ssh";
        Unknown(config.Ssh?.ExtensionData, sshPath, errors);
        var user = Ssh(config.Ssh?.User, $"{sshPath}.user", compiler, errors);
        var host = Ssh(config.Ssh?.Host, $"{sshPath}.host", compiler, errors);
        ThrowIfAny(errors);
        return new NamePolicy(new X509NamePolicy(x509), new SshNamePolicy(user, host, scope), scope);
    }

    private static NameRuleEngine? X509(X509PolicyConfig? config, string path, RuleCompiler compiler, List<ConfigDiagnostic> errors)
    {
        if (config is null)
        {
            return null;
        }
        Unknown(config.ExtensionData, path, errors);
        Unknown(config.Allow?.ExtensionData, $"{path}.allow", errors);
        Unknown(config.Deny?.ExtensionData, $"{path}.deny", errors);
        var allow = config.Allow is { } a && HasNames(a.CommonNames, a.Dns, a.Ip, a.Email, a.Uri) ? compiler.Compile(a, $"{path}.allow") : NameRules.None;
        var deny = config.Deny is { } d && HasNames(d.CommonNames, d.Dns, d.Ip, d.Email, d.Uri) ? compiler.Compile(d, $"{path}.deny") : NameRules.None;
        return Engine(allow, deny, config.AllowWildcardNames, refuseLiteralWildcards: true);
    }

    private static NameRuleEngine? Ssh(SshCertificatePolicyConfig? config, string path, RuleCompiler compiler, List<ConfigDiagnostic> errors)
    {
        if (config is null)
        {
            return null;
        }
        Unknown(config.ExtensionData, path, errors);
        Unknown(config.Allow?.ExtensionData, $"{path}.allow", errors);
        Unknown(config.Deny?.ExtensionData, $"{path}.deny", errors);
        var allow = config.Allow is { } a && HasNames(a.Dns, a.Ip, a.Email, a.Principal) ? compiler.Compile(a, $"{path}.allow") : NameRules.None;
        var deny = config.Deny is { } d && HasNames(d.Dns, d.Ip, d.Email, d.Principal) ? compiler.Compile(d, $"{path}.deny") : NameRules.None;
        // SSH engines never allow literal wildcards and have no option to (step-ca builds them
        // without WithAllowLiteralWildcardNames); their deny-only behaviour is kept as step-ca's.
        return Engine(allow, deny, allowWildcardNames: false, refuseLiteralWildcards: false);
    }

    private static NameRuleEngine? Engine(NameRules allow, NameRules deny, bool allowWildcardNames, bool refuseLiteralWildcards) =>
        allow.Count + deny.Count == 0 ? null : new NameRuleEngine(allow, deny, allowWildcardNames, refuseLiteralWildcards);

    private static bool HasNames(params IReadOnlyList<string>?[] lists) => lists.Any(l => l is { Count: > 0 });

    // step-ca ignores unknown keys; a typo ("dnss") would silently widen the policy, so they are errors.
    private static void Unknown(IReadOnlyDictionary<string, JsonElement>? extensionData, string path, List<ConfigDiagnostic> errors)
    {
        foreach (var key in extensionData?.Keys ?? [])
        {
            errors.Add(ConfigDiagnostic.Error($"{path}.{key}", "unknown field in name policy"));
        }
    }

    private static void ThrowIfAny(List<ConfigDiagnostic> errors)
    {
        if (errors.Count > 0)
        {
            throw new CaConfigException(Source, errors);
        }
    }
}
