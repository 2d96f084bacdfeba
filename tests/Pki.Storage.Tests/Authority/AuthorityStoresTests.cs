using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance.Recording;
using System.Text;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Authority;
using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Tests.Storage.Authority;

/// <summary>The certificate, revocation and token replay stores over the key-value layer.</summary>
[TestFixture]
public sealed class AuthorityStoresTests
{
    private MemoryKeyValueStore _memory = null!;
    private RecordingKeyValueStore _store = null!;

    [SetUp]
    public void CreateStore()
    {
        _memory = new MemoryKeyValueStore(StepTables.Authority);
        _store = new RecordingKeyValueStore(_memory);
    }

    [TearDown]
    public void DisposeStore() => _memory.Dispose();

    private async Task<string?> RowText(string table, string key) =>
        await _memory.GetAsync(table, Encoding.UTF8.GetBytes(key)) is { } value ? Encoding.UTF8.GetString(value) : null;

    [Test]
    public async Task A_certificate_and_its_metadata_are_written_in_one_batch()
    {
        var certificates = new KeyValueCertificateStore(_store);
        var metadata = new CertificateMetadata(new ProvisionerReference("ops:kid", "ops", "JWK"));

        await certificates.RecordAsync(new StoredCertificate("1234", [0x30, 0x00], metadata), []);

        _store.Calls.Should().Equal("Apply Set x509_certs, Set x509_certs_data");
        (await certificates.GetDerAsync("1234")).Should().Equal(0x30, 0x00);
        (await certificates.GetMetadataAsync("1234")).Should().Be(metadata);
        (await RowText(StepTables.X509CertsData, "1234")).Should().Be("{\"provisioner\":{\"id\":\"ops:kid\",\"name\":\"ops\",\"type\":\"JWK\"}}");
    }

    [Test]
    public async Task Burning_a_token_and_storing_its_certificate_is_one_transaction()
    {
        var certificates = new KeyValueCertificateStore(_store);
        var replay = new KeyValueTokenReplayStore(_store);
        var metadata = new CertificateMetadata(new ProvisionerReference("ops:kid", "ops", "JWK"));

        (await replay.IsUsedAsync("jti-1")).Should().BeFalse();
        await certificates.RecordAsync(new StoredCertificate("11", [0x30, 0x00], metadata), [new OneTimeTokenUse("jti-1", "token-text")]);
        var replayed = () => certificates.RecordAsync(new StoredCertificate("12", [0x30, 0x01], metadata), [new OneTimeTokenUse("jti-1", "token-text")]).AsTask();
        (await replayed.Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.Unauthorized);

        _store.Calls.Should().Equal(
            "Apply CompareAndSwap used_ott, Set x509_certs, Set x509_certs_data",
            "Apply CompareAndSwap used_ott, Set x509_certs, Set x509_certs_data"); // reads are not recorded
        (await replay.IsUsedAsync("jti-1")).Should().BeTrue();
        (await RowText(StepTables.UsedOtt, "jti-1")).Should().Be("token-text");
        (await certificates.GetDerAsync("11")).Should().NotBeNull();
        (await certificates.GetDerAsync("12")).Should().BeNull("the refused batch wrote nothing");
        (await certificates.GetMetadataAsync("12")).Should().BeNull();
    }

    [Test]
    public async Task Registration_authority_data_is_written_after_the_provisioner_with_empty_fields_omitted()
    {
        var certificates = new KeyValueCertificateStore(_store);
        var metadata = new CertificateMetadata(
            new ProvisionerReference("scep/ra", "ra", "SCEP"),
            new RegistrationAuthorityInfo("authority-1", null, "prov-<1>", "", "ra"));

        await certificates.RecordAsync(new StoredCertificate("7", [1], metadata), []);

        (await RowText(StepTables.X509CertsData, "7")).Should().Be(
            "{\"provisioner\":{\"id\":\"scep/ra\",\"name\":\"ra\",\"type\":\"SCEP\"},\"ra\":{\"authorityId\":\"authority-1\",\"provisionerId\":\"prov-\\u003c1\\u003e\",\"provisionerName\":\"ra\"}}");
        (await certificates.GetMetadataAsync("7")).Should().Be(metadata with
        {
            RegistrationAuthority = new RegistrationAuthorityInfo("authority-1", null, "prov-<1>", null, "ra"),
        });
    }

    [Test]
    public async Task Metadata_without_a_provisioner_is_an_empty_object_and_no_metadata_writes_no_row()
    {
        var certificates = new KeyValueCertificateStore(_store);
        await certificates.RecordAsync(new StoredCertificate("1", [1], new CertificateMetadata(null)), []);
        await certificates.RecordAsync(new StoredCertificate("2", [2], null), []);

        (await RowText(StepTables.X509CertsData, "1")).Should().Be("{}");
        (await RowText(StepTables.X509CertsData, "2")).Should().BeNull();
        (await certificates.GetMetadataAsync("2")).Should().BeNull();
        (await certificates.GetDerAsync("2")).Should().Equal(2);
        (await certificates.GetDerAsync("3")).Should().BeNull();
    }

    [TestCase("")]
    [TestCase("-1")]
    [TestCase("12a")]
    [TestCase("0x10")]
    [TestCase("１２")]
    public async Task Serials_that_are_not_decimal_are_bad_requests(string serial)
    {
        var certificates = new KeyValueCertificateStore(_store);
        var revocations = new KeyValueRevocationStore(_store);
        (await certificates.Awaiting(c => c.GetDerAsync(serial).AsTask()).Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        (await revocations.Awaiting(r => r.IsRevokedAsync(serial).AsTask()).Should().ThrowAsync<PkiException>()).Which.Kind.Should().Be(PkiErrorKind.BadRequest);
    }

    [Test]
    public async Task A_corrupt_metadata_row_is_an_internal_error_naming_the_row()
    {
        await _memory.SetAsync(StepTables.X509CertsData, Encoding.ASCII.GetBytes("5"), Encoding.ASCII.GetBytes("{\"provisioner\":\"not an object\"}"));
        var error = await new KeyValueCertificateStore(_store).Awaiting(c => c.GetMetadataAsync("5").AsTask()).Should().ThrowAsync<PkiException>();
        error.Which.Kind.Should().Be(PkiErrorKind.Internal);
        error.Which.Message.Should().Contain("x509_certs_data row 5");
    }

    [Test]
    public async Task A_serial_is_revoked_once_with_step_ca_json()
    {
        var revocations = new KeyValueRevocationStore(_store);
        var record = new RevocationRecord("42", "ops:kid", 4, "superseded & <gone>",
            new DateTimeOffset(2026, 11, 22, 13, 34, 7, TimeSpan.Zero).AddTicks(1_230_000),
            new DateTimeOffset(2026, 11, 23, 13, 34, 7, TimeSpan.Zero), "jti-1", Mtls: true, Acme: false);

        (await revocations.IsRevokedAsync("42")).Should().BeFalse();
        (await revocations.TryRevokeAsync(record)).Should().BeTrue();
        (await revocations.TryRevokeAsync(record with { Reason = "again" })).Should().BeFalse();

        _store.Calls.Should().Equal("CompareAndSwap revoked_x509_certs expected absent", "CompareAndSwap revoked_x509_certs expected absent");
        (await revocations.IsRevokedAsync("42")).Should().BeTrue();
        (await revocations.GetAsync("42")).Should().Be(record);
        (await revocations.GetAsync("43")).Should().BeNull();
        (await RowText(StepTables.RevokedX509Certs, "42")).Should().Be(
            "{\"Serial\":\"42\",\"ProvisionerID\":\"ops:kid\",\"ReasonCode\":4,\"Reason\":\"superseded \\u0026 \\u003cgone\\u003e\","
            + "\"RevokedAt\":\"2026-11-22T13:34:07.123Z\",\"ExpiresAt\":\"2026-11-23T13:34:07Z\",\"TokenID\":\"jti-1\",\"MTLS\":true,\"ACME\":false}");
    }

    [Test]
    public async Task A_token_is_accepted_once_and_stored_raw()
    {
        var replay = new KeyValueTokenReplayStore(_store);
        (await replay.TryUseAsync("jti-1", "eyJ.token.sig")).Should().BeTrue();
        (await replay.TryUseAsync("jti-1", "eyJ.token.sig")).Should().BeFalse();
        (await replay.TryUseAsync("jti-2", "eyJ.other.sig")).Should().BeTrue();
        (await RowText(StepTables.UsedOtt, "jti-1")).Should().Be("eyJ.token.sig");
    }

    [Test]
    public async Task Replay_keys_must_be_1_to_255_bytes()
    {
        var replay = new KeyValueTokenReplayStore(_store);
        (await replay.TryUseAsync(new string('é', 127), "t")).Should().BeTrue("254 bytes in UTF-8");
        (await replay.Awaiting(r => r.TryUseAsync(new string('é', 128), "t").AsTask()).Should().ThrowAsync<PkiException>())
            .Which.Kind.Should().Be(PkiErrorKind.BadRequest);
        await replay.Awaiting(r => r.TryUseAsync("", "t").AsTask()).Should().ThrowAsync<PkiException>();
    }
}
