using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Smallstep.Pki.TestServers.AwsKms;

/// <summary>An AWS client-error answer: <c>{"__type": Type, "message": Message}</c> with HTTP 400, as KMS answers every error a caller causes.</summary>
internal sealed class KmsErrorException(string type, string message) : Exception(message)
{
    public string Type { get; } = type;
}

/// <summary>
/// The KMS operations the local server answers (AWS KMS API reference: CreateKey, CreateAlias,
/// GetPublicKey, Sign), over an in-memory key store. Key ids resolve as in
/// AWS: key id, key ARN, <c>alias/name</c>, alias ARN. Thread-safe.
/// </summary>
internal sealed partial class KmsOperations(string region, string accountId)
{
    private readonly ConcurrentDictionary<string, KmsKey> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _aliases = new(StringComparer.Ordinal);

    public JsonObject Invoke(string operation, JsonObject input) => operation switch
    {
        "CreateKey" => CreateKey(input),
        "CreateAlias" => CreateAlias(input),
        "GetPublicKey" => GetPublicKey(input),
        "Sign" => Sign(input),
        _ => throw new KmsErrorException("UnknownOperationException", $"Unknown operation {operation}"),
    };

    /// <summary>Adds a key directly (for tests of keys the CA cannot use, e.g. symmetric ones).</summary>
    public string Add(string keySpec, string keyUsage)
    {
        var id = Guid.NewGuid().ToString();
        var key = KmsKey.Generate(id, KeyArn(id), keySpec, keyUsage, null) ?? throw new ArgumentException($"unsupported {keySpec}/{keyUsage}");
        _keys[id] = key;
        return id;
    }

    /// <summary>The alias names (with <c>alias/</c>) pointing at a key id.</summary>
    public IReadOnlyList<string> AliasesOf(string keyId) => [.. _aliases.Where(a => a.Value == keyId).Select(a => a.Key).Order(StringComparer.Ordinal)];

    /// <summary>The description a key was created with.</summary>
    public string? DescriptionOf(string keyId) => _keys.TryGetValue(keyId, out var key) ? key.Description : null;

    private JsonObject CreateKey(JsonObject input)
    {
        var keySpec = Optional(input, "KeySpec") ?? Optional(input, "CustomerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
        var keyUsage = Optional(input, "KeyUsage") ?? "ENCRYPT_DECRYPT";
        var id = Guid.NewGuid().ToString();
        var key = KmsKey.Generate(id, KeyArn(id), keySpec, keyUsage, Optional(input, "Description"))
            ?? throw new KmsErrorException("ValidationException", $"KeyUsage {keyUsage} is not compatible with KeySpec {keySpec}");
        _keys[id] = key;
        return new JsonObject { ["KeyMetadata"] = Metadata(key) };
    }

    private JsonObject CreateAlias(JsonObject input)
    {
        var alias = Required(input, "AliasName");
        if (!AliasPattern().IsMatch(alias) || alias.Length > 256 || alias.StartsWith("alias/aws/", StringComparison.Ordinal))
        {
            throw new KmsErrorException("ValidationException", $"1 validation error detected: Value '{alias}' at 'aliasName' failed to satisfy constraint");
        }
        var target = Required(input, "TargetKeyId");
        if (target.Contains("alias/", StringComparison.Ordinal))
        {
            throw new KmsErrorException("ValidationException", "TargetKeyId must be a key id or key ARN");
        }
        var key = Resolve(target);
        return _aliases.TryAdd(alias, key.Id)
            ? []
            : throw new KmsErrorException("AlreadyExistsException", $"An alias with the name {AliasArn(alias)} already exists");
    }

    private JsonObject GetPublicKey(JsonObject input)
    {
        var key = Resolve(input);
        if (key.SubjectPublicKeyInfo is null)
        {
            throw new KmsErrorException("UnsupportedOperationException", $"{key.Arn} key usage is ENCRYPT_DECRYPT which is not valid for GetPublicKey.");
        }
        var output = new JsonObject
        {
            ["KeyId"] = key.Arn,
            ["PublicKey"] = Convert.ToBase64String(key.SubjectPublicKeyInfo),
            ["CustomerMasterKeySpec"] = key.KeySpec,
            ["KeySpec"] = key.KeySpec,
            ["KeyUsage"] = key.KeyUsage,
        };
        if (key.SigningAlgorithms.Count > 0)
        {
            output["SigningAlgorithms"] = new JsonArray([.. key.SigningAlgorithms.Select(a => JsonValue.Create(a))]);
        }
        if (key.EncryptionAlgorithms.Count > 0)
        {
            output["EncryptionAlgorithms"] = new JsonArray([.. key.EncryptionAlgorithms.Select(a => JsonValue.Create(a))]);
        }
        return output;
    }

    private JsonObject Sign(JsonObject input)
    {
        var key = Resolve(input);
        var algorithm = Required(input, "SigningAlgorithm");
        var messageType = Optional(input, "MessageType") ?? "RAW";
        var message = Blob(input, "Message");
        if (key.KeyUsage != "SIGN_VERIFY")
        {
            throw new KmsErrorException("InvalidKeyUsageException", $"{key.Arn} key usage is {key.KeyUsage} which is not valid for Sign.");
        }
        if (!key.SigningAlgorithms.Contains(algorithm))
        {
            throw new KmsErrorException("InvalidKeyUsageException", $"Algorithm {algorithm} is incompatible with key spec {key.KeySpec}.");
        }
        var hash = KmsKey.HashOf(algorithm);
        byte[] digest;
        if (messageType == "DIGEST")
        {
            var expected = hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
            digest = message.Length == expected
                ? message
                : throw new KmsErrorException("ValidationException", $"Digest is invalid length for algorithm {algorithm}.");
        }
        else if (messageType == "RAW" && message.Length is > 0 and <= 4096)
        {
            digest = hash == HashAlgorithmName.SHA256 ? SHA256.HashData(message) : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(message) : SHA512.HashData(message);
        }
        else
        {
            throw new KmsErrorException("ValidationException", $"MessageType {messageType} with a {message.Length}-byte message is not valid.");
        }
        return new JsonObject
        {
            ["KeyId"] = key.Arn,
            ["Signature"] = Convert.ToBase64String(key.SignDigest(digest, algorithm)),
            ["SigningAlgorithm"] = algorithm,
        };
    }

    private JsonObject Metadata(KmsKey key)
    {
        var metadata = new JsonObject
        {
            ["AWSAccountId"] = accountId,
            ["KeyId"] = key.Id,
            ["Arn"] = key.Arn,
            ["CreationDate"] = key.CreatedAt.ToUnixTimeSeconds(),
            ["Enabled"] = true,
            ["Description"] = key.Description ?? string.Empty,
            ["KeyUsage"] = key.KeyUsage,
            ["KeyState"] = "Enabled",
            ["Origin"] = "AWS_KMS",
            ["KeyManager"] = "CUSTOMER",
            ["CustomerMasterKeySpec"] = key.KeySpec,
            ["KeySpec"] = key.KeySpec,
            ["MultiRegion"] = false,
        };
        if (key.SigningAlgorithms.Count > 0)
        {
            metadata["SigningAlgorithms"] = new JsonArray([.. key.SigningAlgorithms.Select(a => JsonValue.Create(a))]);
        }
        return metadata;
    }

    private KmsKey Resolve(JsonObject input) => Resolve(Required(input, "KeyId"));

    /// <summary>Key id, key ARN, alias name or alias ARN of this region and account, as AWS resolves them.</summary>
    private KmsKey Resolve(string keyId)
    {
        var prefix = $"arn:aws:kms:{region}:{accountId}:";
        var local = keyId.StartsWith(prefix, StringComparison.Ordinal) ? keyId[prefix.Length..] : keyId;
        if (local.StartsWith("alias/", StringComparison.Ordinal))
        {
            return _aliases.TryGetValue(local, out var target) && _keys.TryGetValue(target, out var aliased)
                ? aliased
                : throw new KmsErrorException("NotFoundException", $"Alias {AliasArn(local)} is not found.");
        }
        if (local.StartsWith("key/", StringComparison.Ordinal))
        {
            local = local[4..];
        }
        return _keys.TryGetValue(local, out var key)
            ? key
            : throw new KmsErrorException("NotFoundException", $"Key '{KeyArn(local)}' does not exist");
    }

    private string KeyArn(string id) => $"arn:aws:kms:{region}:{accountId}:key/{id}";

    private string AliasArn(string alias) => $"arn:aws:kms:{region}:{accountId}:{alias}";

    private static string Required(JsonObject input, string name) =>
        Optional(input, name) ?? throw new KmsErrorException("ValidationException", $"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");

    private static string? Optional(JsonObject input, string name) =>
        input[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static byte[] Blob(JsonObject input, string name)
    {
        try
        {
            return Convert.FromBase64String(Required(input, name));
        }
        catch (FormatException)
        {
            throw new KmsErrorException("SerializationException", $"{name} is not base64");
        }
    }

    [GeneratedRegex("^alias/[a-zA-Z0-9/_-]+$")]
    private static partial Regex AliasPattern();
}
