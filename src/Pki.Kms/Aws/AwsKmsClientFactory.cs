using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Internal.Util;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>
/// Builds the SDK client for ca.json's <c>kms</c> block as step's <c>awskms.New</c> loads its AWS
/// configuration. With a credentials file or a profile, the profile (named, else <c>AWS_PROFILE</c>,
/// else <c>default</c>) is read from that file (else from <c>~/.aws/credentials</c> and
/// <c>~/.aws/config</c>) and gives the credentials and, unless set in ca.json, the region, the
/// <c>endpoint_url</c> and the <c>ca_bundle</c>. Without either, the SDK's default chain applies
/// (environment variables, <c>~/.aws</c>, container and instance roles).
/// </summary>
internal static class AwsKmsClientFactory
{
    /// <summary>step's per-call deadline (awskms <c>defaultContext</c>: 15 seconds).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A client for the settings, plus a description of where it goes (region, endpoint, profile; never credentials).</summary>
    /// <exception cref="CaConfigException">A file, profile, region or CA bundle cannot be used; names the field.</exception>
    public static (IAmazonKeyManagementService Client, string Description) Create(AwsKmsSettings settings, AwsKmsOptions options)
    {
        var profile = LoadProfile(settings);
        var region = settings.Region?.Value ?? profile?.Profile.Region?.SystemName;
        var endpoint = settings.Endpoint?.Value ?? options.ServiceUrl?.ToString() ?? profile?.Profile.EndpointUrl;
        var config = new AmazonKeyManagementServiceConfig { Timeout = CallTimeout };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            if (region is not null)
            {
                config.AuthenticationRegion = region;
            }
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        if (profile?.CaBundle is { } bundle)
        {
            config.HttpClientFactory = new CaBundleHttpClientFactory(bundle);
        }
        options.ConfigureClient?.Invoke(config);
        var credentials = profile?.Credentials ?? options.Credentials;
        try
        {
            var client = credentials is null ? new AmazonKeyManagementServiceClient(config) : new AmazonKeyManagementServiceClient(credentials, config);
            return (client, $"region {region ?? config.RegionEndpoint?.SystemName ?? "(from the SDK)"}, endpoint {endpoint ?? "(the region's)"}, profile {profile?.Profile.Name ?? "(the SDK's default chain)"}");
        }
        catch (AmazonClientException e)
        {
            // The SDK's words, e.g. "No RegionEndpoint or ServiceURL configured" or "Unable to get IAM security credentials".
            throw AwsKmsSettings.Error(settings.Region?.Field ?? "kms.region", $"cannot set up the AWS KMS client: {e.Message} (set region in kms.uri, kms.region, the profile or AWS_REGION)");
        }
    }

    private static LoadedProfile? LoadProfile(AwsKmsSettings settings)
    {
        if (settings.CredentialsFile is null && settings.Profile is null)
        {
            return null;
        }
        var name = settings.Profile?.Value ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_PROFILE")) ?? "default";
        var field = settings.Profile?.Field ?? settings.CredentialsFile!.Field;
        SharedCredentialsFile file;
        if (settings.CredentialsFile is { } path)
        {
            if (!File.Exists(path.Value))
            {
                throw AwsKmsSettings.Error(path.Field, $"the AWS credentials file {path.Value} does not exist");
            }
            file = Read(() => new SharedCredentialsFile(path.Value), path.Field, path.Value);
        }
        else
        {
            file = Read(() => new SharedCredentialsFile(), field, "~/.aws/credentials");
        }
        if (!file.TryGetProfile(name, out var profile))
        {
            throw AwsKmsSettings.Error(field, $"AWS profile '{name}' is not in {file.FilePath}");
        }
        if (!AWSCredentialsFactory.TryGetAWSCredentials(profile, file, out var credentials))
        {
            throw AwsKmsSettings.Error(field, $"AWS profile '{name}' in {file.FilePath} has no usable credentials (aws_access_key_id and aws_secret_access_key, a role, SSO or a credential process)");
        }
        return new LoadedProfile(profile, credentials, CaBundle(file, name, field));
    }

    private static SharedCredentialsFile Read(Func<SharedCredentialsFile> open, string field, string path)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AmazonClientException or InvalidDataException or FormatException)
        {
            throw AwsKmsSettings.Error(field, $"cannot read the AWS credentials file {path}: {e.Message}");
        }
    }

    /// <summary>
    /// The profile's <c>ca_bundle</c>, read from the credentials file (a <c>[name]</c> or
    /// <c>[profile name]</c> section) or the config file next to it: the SDK parses the setting but
    /// keeps it internal.
    /// </summary>
    private static X509Certificate2Collection? CaBundle(SharedCredentialsFile file, string name, string field)
    {
        string? path = null;
        foreach (var iniPath in new[] { file.FilePath, file.ConfigFilePath })
        {
            if (path is null && File.Exists(iniPath))
            {
                var ini = new IniFile(iniPath);
                foreach (var section in new[] { name, "profile " + name })
                {
                    if (path is null && ini.TryGetSection(section, out var properties) && properties.TryGetValue("ca_bundle", out var value) && !string.IsNullOrWhiteSpace(value))
                    {
                        path = value.Trim();
                    }
                }
            }
        }
        if (path is null)
        {
            return null;
        }
        try
        {
            return CaBundleHttpClientFactory.ReadBundle(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or CryptographicException)
        {
            throw AwsKmsSettings.Error(field, $"ca_bundle {path} of AWS profile '{name}' is unusable: {e.Message}");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed record LoadedProfile(CredentialProfile Profile, AWSCredentials Credentials, X509Certificate2Collection? CaBundle);
}
