using Smallstep.Pki.Kms.KeyUris;
using System.Buffers;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>
/// Key names as go.step.sm/crypto <c>kms/awskms</c> reads them. A key to open
/// (<c>parseKeyID</c>) is <c>awskms:key-id=…</c> (or <c>aws:key-id=…</c>), or else the name itself;
/// either way the id may be a key id, a key ARN, <c>alias/name</c> or an alias ARN, which AWS
/// resolves. A key to create (<c>parseName</c>) is <c>awskms:name=…</c> or the name itself. One
/// difference: step lower-cases the whole key name before parsing; here the id keeps its case, as
/// AWS alias names are case-sensitive (every id step can open, being lower case, opens here too).
/// </summary>
internal static class AwsKeyNames
{
    /// <summary>The scheme of key URIs and of <c>kms.uri</c>.</summary>
    public const string Scheme = "awskms";

    /// <summary>The short scheme step also accepts for key names.</summary>
    public const string ShortScheme = "aws";

    /// <summary>AWS KMS's limit on a <c>KeyId</c> parameter.</summary>
    private const int MaxKeyIdLength = 2048;

    /// <summary>AWS KMS's limit on an <c>AliasName</c>, <c>alias/</c> included.</summary>
    private const int MaxAliasLength = 256;

    // Key ids, key and alias ARNs (arn:aws-cn:kms:region:account:alias/x) and alias names use only these.
    private static readonly SearchValues<char> KeyIdCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/_-.");

    // AWS KMS CreateAlias: alias names match ^[a-zA-Z0-9/_-]+$.
    private static readonly SearchValues<char> AliasCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-");

    /// <summary>True for names that carry the awskms (or aws) scheme.</summary>
    public static bool IsUri(string name) => KmsUri.HasScheme(name, Scheme) || KmsUri.HasScheme(name, ShortScheme);

    /// <summary>Parses an awskms (or aws) key URI.</summary>
    private static KmsUri ParseUri(string name) => KmsUri.Parse(name, KmsUri.HasScheme(name, Scheme) ? Scheme : ShortScheme, "awskms key URI");

    /// <summary>The <c>KeyId</c> to send to AWS for a key name (step's <c>parseKeyID</c>).</summary>
    /// <exception cref="PkiException">BadRequest for an empty or malformed name.</exception>
    public static string KeyId(string keyName)
    {
        ArgumentNullException.ThrowIfNull(keyName);
        var id = IsUri(keyName) ? ParseUri(keyName).Get("key-id") : keyName;
        if (id.Length == 0)
        {
            throw PkiException.BadRequest(IsUri(keyName)
                ? "awskms key URI has no key-id attribute (awskms:key-id=<key id, key ARN or alias/name>)"
                : "awskms key name is empty");
        }
        if (id.Length > MaxKeyIdLength || id.AsSpan().ContainsAnyExcept(KeyIdCharacters))
        {
            throw PkiException.BadRequest("awskms key-id must be a key id, a key ARN, alias/<name> or an alias ARN (letters, digits and :/_-. only, at most 2048 characters)");
        }
        return id;
    }

    /// <summary>The name of a key to create (step's <c>parseName</c>): used as description, <c>name</c> tag and alias prefix.</summary>
    /// <exception cref="PkiException">BadRequest when the name is empty or cannot be part of an alias.</exception>
    public static string NewKeyName(string requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var name = IsUri(requested) ? ParseUri(requested).Get("name") : requested;
        if (name.Length == 0)
        {
            throw PkiException.BadRequest(IsUri(requested) ? "awskms key URI has no name attribute (awskms:name=<name>)" : "awskms key name is empty");
        }
        // Checked before CreateKey so a name AWS would refuse as an alias does not leave a key without one behind.
        if (Alias(name, "00000000").Length > MaxAliasLength || name.AsSpan().ContainsAnyExcept(AliasCharacters) || name.StartsWith("aws/", StringComparison.OrdinalIgnoreCase))
        {
            throw PkiException.BadRequest($"awskms key name cannot be part of an alias: use letters, digits, '/', '_' and '-' (AWS KMS alias rules), at most {MaxAliasLength - 15} characters, not starting with aws/");
        }
        return name;
    }

    /// <summary>step's alias for a created key: <c>alias/&lt;name&gt;-&lt;first 8 characters of the key id&gt;</c> (awskms <c>createKeyAlias</c>).</summary>
    public static string Alias(string name, string keyId) => $"alias/{name}-{keyId[..Math.Min(8, keyId.Length)]}";

    /// <summary>The key URI step returns for a created key: <c>awskms:key-id=&lt;id&gt;</c>.</summary>
    public static string KeyUri(string keyId) => $"{Scheme}:key-id={Uri.EscapeDataString(keyId)}";
}
