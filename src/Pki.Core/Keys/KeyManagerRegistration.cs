using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Keys;

/// <summary>
/// How to create one kind of key manager: the ca.json <c>kms.type</c> it answers to, the key URI
/// schemes it opens, and a factory. Registered with <c>AddKeyManager</c> (first registration per
/// type wins); the authority creates an instance at start-up and a fresh one on every reload, so a
/// key replaced on disk or in the HSM is opened again, always through the registered factory and
/// with the same configuration.
/// </summary>
/// <param name="Type">The <c>kms.type</c> (case-insensitive), e.g. <c>softkms</c>, <c>pkcs11</c>.</param>
/// <param name="UriSchemes">Key URI schemes this manager opens (without the colon), e.g. <c>pkcs11</c>; usually just <paramref name="Type"/>.</param>
/// <param name="CreateAsync">Creates an instance for a ca.json <c>kms</c> block. Called once per generation; the instance is disposed when the generation retires.</param>
public sealed record KeyManagerRegistration(string Type, IReadOnlyList<string> UriSchemes, Func<KeyManagerContext, CancellationToken, ValueTask<IKeyManager>> CreateAsync)
{
    /// <summary>The call that registers it, named in start-up errors (e.g. <c>AddSoftKms()</c>).</summary>
    public string? AddMethod { get; init; }

    /// <summary>
    /// True when, as the ca.json <c>kms</c> block's type, this manager also opens key names without
    /// a URI scheme, which are then not file paths: Cloud KMS resource names
    /// (<c>projects/.../cryptoKeyVersions/1</c>), since step-ca hands every key to its one KMS.
    /// </summary>
    public bool OpensPlainKeyNames { get; init; }
}

/// <summary>What a key manager factory is given.</summary>
/// <param name="Kms">The ca.json <c>kms</c> block; for a key manager chosen only by a key URI's scheme, a block with just that <c>type</c>.</param>
/// <param name="Services">The application's services (options, loggers, password sources).</param>
public sealed record KeyManagerContext(KmsConfig Kms, IServiceProvider Services);
