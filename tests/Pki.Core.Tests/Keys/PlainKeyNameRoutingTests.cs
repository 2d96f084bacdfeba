using Smallstep.Pki.Configuration;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.Keys;

/// <summary>
/// Key names without a URI scheme of their own belong to the kms block's manager, as step-ca hands
/// every key to its one KMS (Cloud KMS resource names in ca.json); without a block, or with softkms,
/// they are softkms file paths.
/// </summary>
public sealed class PlainKeyNameRoutingTests
{
    private readonly StubManager _soft = new();
    private readonly StubManager _cloud = new();
    private readonly StubManager _hsm = new();

    private KeyManagerRegistry Registry() => new([
        new KeyManagerRegistration("softkms", ["softkms"], (_, _) => ValueTask.FromResult<IKeyManager>(_soft)),
        new KeyManagerRegistration("cloudlike", ["cloudlike"], (_, _) => ValueTask.FromResult<IKeyManager>(_cloud)),
        new KeyManagerRegistration("hsm", ["hsm"], (_, _) => ValueTask.FromResult<IKeyManager>(_hsm)),
    ]);

    private GenerationKeyManagers Keys(string? kmsType) =>
        new(Registry(), kmsType is null ? null : new KmsConfig { Type = kmsType }, new NoServices());

    [Test]
    public async Task A_plain_name_goes_to_the_kms_block_manager_and_a_named_scheme_to_its_own()
    {
        await using var keys = Keys("cloudlike");

        (await keys.ForKeyAsync("projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1", "key", CancellationToken.None)).Should().BeSameAs(_cloud);
        keys.IsFilePath("projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1").Should().BeFalse();
        (await keys.ForKeyAsync("softkms:path=secrets/key", "key", CancellationToken.None)).Should().BeSameAs(_soft);
        (await keys.ForKeyAsync("hsm:id=1", "key", CancellationToken.None)).Should().BeSameAs(_hsm);
    }

    [TestCase(null)]
    [TestCase("softkms")]
    public async Task Without_a_kms_block_of_another_type_a_plain_name_is_a_softkms_path(string? kmsType)
    {
        await using var keys = Keys(kmsType);

        (await keys.ForKeyAsync("secrets/intermediate_ca_key", "key", CancellationToken.None)).Should().BeSameAs(_soft);
        keys.IsFilePath("secrets/intermediate_ca_key").Should().BeTrue();
        keys.IsFilePath("/etc/step/secrets/key").Should().BeTrue();
        keys.IsFilePath("hsm:id=1").Should().BeFalse();
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class StubManager : IKeyManager
    {
        public ValueTask<ReadOnlyMemory<byte>> GetPublicKeyAsync(string keyUri, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<ICertificateSigner> GetSignerAsync(string keyUri, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
