using Smallstep.Pki.Kms.KeyUris;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>One setting and the ca.json field it came from, so an error can name that field.</summary>
internal sealed record AwsSetting(string Value, string Field);

/// <summary>
/// The connection settings of ca.json's <c>kms</c> block for awskms (go.step.sm/crypto
/// <c>awskms.New</c>): <c>kms.uri</c> attributes <c>region</c>, <c>profile</c>,
/// <c>credentials-file</c> and the block's <c>region</c>, <c>profile</c>, <c>credentialsFile</c>.
/// The URI takes precedence, as step's configuration documentation says (step's code applies the
/// block's fields last, so there the block would win; a ca.json that sets both to different values
/// is the only case that differs). <c>endpoint</c> is an extension of this key manager: step ignores
/// unknown attributes, so a ca.json using it still starts under step-ca, which then goes to the
/// region's public endpoint.
/// </summary>
internal sealed record AwsKmsSettings(AwsSetting? Region, AwsSetting? Profile, AwsSetting? CredentialsFile, AwsSetting? Endpoint)
{
    /// <summary>Reads the settings; errors name the field.</summary>
    /// <exception cref="CaConfigException">The URI is not an awskms URI or a value is malformed.</exception>
    public static AwsKmsSettings From(KmsConfig kms)
    {
        ArgumentNullException.ThrowIfNull(kms);
        KmsUri? uri = null;
        if (!string.IsNullOrEmpty(kms.Uri))
        {
            if (!KmsUri.HasScheme(kms.Uri, AwsKeyNames.Scheme))
            {
                throw Error("kms.uri", "an awskms kms.uri starts with awskms: (e.g. awskms:region=us-east-2;profile=ca)");
            }
            uri = Parse(kms.Uri);
        }
        var settings = new AwsKmsSettings(
            Pick(uri, "region", kms.Region, "kms.region"),
            Pick(uri, "profile", kms.Profile, "kms.profile"),
            Pick(uri, "credentials-file", kms.CredentialsFile, "kms.credentialsFile"),
            Pick(uri, "endpoint", null, "kms.uri"));
        if (settings.Region is { } region && !IsRegionName(region.Value))
        {
            throw Error(region.Field, "is not an AWS region name (lower-case letters, digits and '-', e.g. us-east-2)");
        }
        if (settings.Endpoint is { } endpoint && !IsEndpoint(endpoint.Value))
        {
            throw Error(endpoint.Field, "endpoint must be an absolute https:// (or http://) URL without user information");
        }
        return settings;
    }

    /// <summary>A start-up error naming the field (the message is the caller's, no value is echoed).</summary>
    public static CaConfigException Error(string field, string message) => new("ca.json", [ConfigDiagnostic.Error(field, message)]);

    private static KmsUri Parse(string raw)
    {
        try
        {
            return KmsUri.Parse(raw, AwsKeyNames.Scheme, "kms.uri");
        }
        catch (PkiException e)
        {
            throw Error("kms.uri", e.Message);
        }
    }

    private static AwsSetting? Pick(KmsUri? uri, string attribute, string? blockValue, string blockField)
    {
        var fromUri = uri?.Get(attribute);
        if (!string.IsNullOrEmpty(fromUri))
        {
            return new AwsSetting(fromUri, "kms.uri");
        }
        return string.IsNullOrEmpty(blockValue) ? null : new AwsSetting(blockValue, blockField);
    }

    private static bool IsRegionName(string region) =>
        region.Length is > 0 and <= 64 && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static bool IsEndpoint(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.UserInfo.Length == 0 && uri.Host.Length > 0;
}
