using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Tests.Kms.Contract;

/// <summary>
/// What every <see cref="IKeyManager"/> must do, whatever stores the keys. Subclass once per
/// backend (softkms, PKCS#11, ...), supplying a manager and fresh key names.
/// </summary>
public abstract class KeyManagerContract
{
    /// <summary>The manager under test (one per test).</summary>
    protected abstract IKeyManager CreateManager();

    /// <summary>A name for a key that does not exist yet.</summary>
    protected abstract string NewKeyName();

    /// <summary>The name of a key that does not exist, as a signer would be opened by (a key version, where keys are versioned).</summary>
    protected virtual string MissingKeyName() => NewKeyName();

    /// <summary>The algorithms the backend supports.</summary>
    protected virtual IEnumerable<KeyAlgorithm> SupportedAlgorithms =>
        [KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384, KeyAlgorithm.EcdsaP521, KeyAlgorithm.Rsa, KeyAlgorithm.Ed25519];

    [Test]
    public async Task Created_keys_sign_verifiably_and_report_the_same_public_key()
    {
        var manager = CreateManager();
        foreach (var algorithm in SupportedAlgorithms)
        {
            var created = await manager.CreateKeyAsync(new CreateKeyRequest(NewKeyName(), algorithm));
            var signer = await manager.GetSignerAsync(created.KeyUri);
            var data = "contract"u8.ToArray();

            var signature = await signer.SignAsync(data);

            signer.Algorithm.Should().Be(algorithm);
            signer.SubjectPublicKeyInfo.ToArray().Should().Equal(created.SubjectPublicKeyInfo.ToArray());
            (await manager.GetPublicKeyAsync(created.KeyUri)).ToArray().Should().Equal(created.SubjectPublicKeyInfo.ToArray());
            SignatureCheck.Verify(created.SubjectPublicKeyInfo, algorithm, data, signature).Should().BeTrue($"{algorithm} signature must verify");
        }
    }

    [Test]
    public async Task A_new_manager_opens_keys_created_by_another()
    {
        var name = NewKeyName();
        var created = await CreateManager().CreateKeyAsync(new CreateKeyRequest(name, KeyAlgorithm.EcdsaP256));

        var signer = await CreateManager().GetSignerAsync(created.KeyUri);

        signer.SubjectPublicKeyInfo.ToArray().Should().Equal(created.SubjectPublicKeyInfo.ToArray());
    }

    /// <summary>
    /// True when a second key under a name is a new key (a cloud KMS names keys by a generated id,
    /// as step's awskms does); false when it must fail (a file or an HSM label, as softkms).
    /// </summary>
    protected virtual bool SecondKeyUnderOneNameIsNewKey => false;

    [Test]
    public async Task Creating_a_key_twice_under_one_name_never_replaces_the_first()
    {
        var manager = CreateManager();
        var name = NewKeyName();
        var first = await manager.CreateKeyAsync(new CreateKeyRequest(name, KeyAlgorithm.EcdsaP256));

        var again = async () => await manager.CreateKeyAsync(new CreateKeyRequest(name, KeyAlgorithm.EcdsaP256));

        if (SecondKeyUnderOneNameIsNewKey)
        {
            var second = (await again.Should().NotThrowAsync()).Subject;
            second.KeyUri.Should().NotBe(first.KeyUri);
        }
        else
        {
            await again.Should().ThrowAsync<Smallstep.Pki.Errors.PkiException>();
        }
        (await manager.GetPublicKeyAsync(first.KeyUri)).ToArray().Should().Equal(first.SubjectPublicKeyInfo.ToArray());
    }

    [Test]
    public async Task Concurrent_signatures_all_verify()
    {
        var manager = CreateManager();
        var created = await manager.CreateKeyAsync(new CreateKeyRequest(NewKeyName(), KeyAlgorithm.EcdsaP256));
        var signer = await manager.GetSignerAsync(created.KeyUri);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            var data = BitConverter.GetBytes(i);
            return (Data: data, Signature: await signer.SignAsync(data));
        })));

        results.Should().OnlyContain(r => SignatureCheck.Verify(created.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP256, r.Data, r.Signature));
    }

    [Test]
    public async Task A_missing_key_is_an_error_not_a_signer()
    {
        var manager = CreateManager();

        var open = async () => await manager.GetSignerAsync(MissingKeyName());
        var publicKey = async () => await manager.GetPublicKeyAsync(MissingKeyName());

        (await open.Should().ThrowAsync<Smallstep.Pki.Errors.PkiException>()).Which.Kind.Should().Be(Smallstep.Pki.Errors.PkiErrorKind.NotFound);
        (await publicKey.Should().ThrowAsync<Smallstep.Pki.Errors.PkiException>()).Which.Kind.Should().Be(Smallstep.Pki.Errors.PkiErrorKind.NotFound);
    }

    [Test]
    public async Task After_dispose_the_manager_refuses_and_a_fresh_one_signs_with_the_same_key()
    {
        // What a reload does: the old generation's manager is disposed, a new one opens the keys again.
        var old = CreateManager();
        var created = await old.CreateKeyAsync(new CreateKeyRequest(NewKeyName(), KeyAlgorithm.EcdsaP256));
        await old.DisposeAsync();
        await old.DisposeAsync();

        var refused = async () => await old.GetSignerAsync(created.KeyUri);
        await refused.Should().ThrowAsync<ObjectDisposedException>();
        var signer = await CreateManager().GetSignerAsync(created.KeyUri);
        var signature = await signer.SignAsync("reloaded"u8.ToArray());
        SignatureCheck.Verify(created.SubjectPublicKeyInfo, KeyAlgorithm.EcdsaP256, "reloaded"u8.ToArray(), signature).Should().BeTrue();
    }
}
