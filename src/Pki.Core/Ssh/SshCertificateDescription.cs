namespace Smallstep.Pki.Ssh;

/// <summary>
/// What an SSH certificate will contain, in step's JSON model (smallstep/crypto
/// <c>sshutil.Certificate</c>): the output of an SSH certificate template. The subject key and
/// the signature are not part of it; <see cref="SshCertificateSigner"/> adds them. Empty
/// <see cref="Nonce"/> and zero <see cref="Serial"/> mean "choose randomly when signing", as step.
/// </summary>
public sealed record SshCertificateDescription
{
    /// <summary>Most principals accepted: OpenSSH refuses certificates with more (SSHKEY_CERT_MAX_PRINCIPALS).</summary>
    public const int MaxPrincipals = 256;

    /// <summary>Most critical options, and most extensions, accepted.</summary>
    public const int MaxOptions = 256;

    /// <summary>Longest key id, principal, option name or value accepted, in characters.</summary>
    public const int MaxStringLength = 4096;

    /// <summary><c>type</c>: user or host.</summary>
    public SshCertificateType Type { get; init; }

    /// <summary><c>keyId</c>: free text logged by sshd.</summary>
    public string KeyId { get; init; } = "";

    /// <summary><c>principals</c>: user names or host names the certificate is valid for.</summary>
    public IReadOnlyList<string> Principals { get; init; } = [];

    /// <summary><c>validAfter</c>; null is Go's zero time (0 on the wire).</summary>
    public DateTimeOffset? ValidAfter { get; init; }

    /// <summary><c>validBefore</c>; null is Go's zero time (0 on the wire).</summary>
    public DateTimeOffset? ValidBefore { get; init; }

    /// <summary><c>criticalOptions</c>, e.g. <c>force-command</c>, <c>source-address</c>.</summary>
    public IReadOnlyDictionary<string, string> CriticalOptions { get; init; } = new Dictionary<string, string>();

    /// <summary><c>extensions</c>, e.g. <c>permit-pty</c> with an empty value.</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; init; } = new Dictionary<string, string>();

    /// <summary><c>nonce</c> (base64 in JSON); empty means random when signing.</summary>
    public ReadOnlyMemory<byte> Nonce { get; init; }

    /// <summary><c>serial</c>; zero means random when signing.</summary>
    public ulong Serial { get; init; }

    /// <summary><c>reserved</c> (base64 in JSON); normally empty.</summary>
    public ReadOnlyMemory<byte> Reserved { get; init; }

    /// <summary>
    /// Reads rendered template output the way step does (Go's <c>json.Decoder</c> into
    /// <c>sshutil.Certificate</c>): the first JSON value, member names case-insensitive, unknown
    /// members ignored, <c>null</c> leaving a field unset.
    /// </summary>
    /// <param name="json">The rendered template.</param>
    /// <returns>The description.</returns>
    /// <exception cref="Errors.PkiException">BadRequest: not JSON, a member of the wrong type, a bad type name or time, or a limit exceeded.</exception>
    public static SshCertificateDescription Parse(string json) => SshCertificateJsonReader.Read(json);
}
