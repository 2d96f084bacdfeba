using System.Security.Cryptography;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Bench.Fixture;
using Smallstep.Pki.Bench.Measure;
using Smallstep.Pki.Bench.Report;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Bench.Modes;

/// <summary>
/// Where one request's time goes: each stage of the sign pipeline timed alone, one call at a time
/// on one thread, with the real objects of a composed authority; then the whole
/// <c>SignAsync</c> for comparison; then the two store writes alone under 1/8/32 concurrent callers
/// to see whether SQLite group commit limits throughput.
/// </summary>
internal static class StageBench
{
    private const string Audience = "https://127.0.0.1/1.0/sign";
    private const int CpuIterations = 2000;
    private const int DiskIterations = 300;
    private const int Warmup = 200;

    public static async Task<BenchResults> RunAsync(BenchPki pki, IReadOnlyList<LoadLevel> storeLevels)
    {
        var results = new BenchResults();
        await using var memory = await ComposedAuthority.CreateAsync(pki.WriteVariant("stages-memory", "127.0.0.1:9000", BenchStorage.Memory), pki.Password).ConfigureAwait(false);
        await using var sqlite = await ComposedAuthority.CreateAsync(pki.WriteVariant("stages-sqlite", "127.0.0.1:9000", BenchStorage.Sqlite), pki.Password).ConfigureAwait(false);
        var signer = pki.CreateTokenSigner();
        using var root = pki.LoadRoot();
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(root.RawData));
        var inputs = SignInputs.Prepare(signer, Audience, fingerprint, "stage", Warmup + CpuIterations);
        var bodies = Enumerable.Range(0, inputs.Count).Select(inputs.JsonBody).ToArray();

        var runtime = memory.Runtime;
        var audiences = runtime.Audiences;
        var config = runtime.Loaded.Config;
        var csr = CertificationRequest.Parse(inputs.CsrDer[0]);
        var token = UnverifiedToken.Parse(inputs.Tokens[0]);
        var provisioner = runtime.Catalog.FindByToken(token, audiences) ?? throw new InvalidOperationException("no provisioner for the token");
        var authorization = await provisioner.AuthorizeSignAsync(new AuthorizationContext { Token = token, Audiences = audiences.Sign }).ConfigureAwait(false);
        var context = new IssuanceContext(DateTimeOffset.UtcNow, config.Authority.EffectiveBackdate, default, default);
        var description = Describe(authorization, csr, context);
        var realSigner = await memory.Keys.GetSignerAsync(runtime.Loaded.ResolvePath(config.IntermediateKey)).ConfigureAwait(false);
        var stubIssuer = new X509Issuer(runtime.Authority.Trust.Intermediates, new FixedSignatureSigner(realSigner));
        var (stubDer, _) = await stubIssuer.IssueAsync(description, default).ConfigureAwait(false);
        var tbs = TbsOf(stubDer);
        var issued = await memory.Authority.SignAsync(new SignRequest(inputs.CsrDer[0], inputs.Tokens[0])).ConfigureAwait(false);
        var metadata = new CertificateMetadata(new ProvisionerReference(provisioner.Id, provisioner.Name, provisioner.Type));
        var serial = 0L;
        var watch = CpuWatch.Start(Environment.ProcessId, null, []);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        async Task Stage(string name, int iterations, Func<int, ValueTask> op, string note = "")
        {
            var (micros, bytes) = await StageTimer.MeasureAsync(iterations, Warmup, op).ConfigureAwait(false);
            results.Stages.Add(new StageResult(name, micros, bytes, iterations, note));
            Console.WriteLine($"  {name,-58} {micros,9:F1} µs  {bytes,8:F0} B/op");
        }

        await Stage(ResultNames.RequestDecode, CpuIterations, i => { WireFormatApproximation.DecodeSignBody(bodies[i % bodies.Length]); return default; },
            "bench stand-in for SignEndpoint's GoJsonRequest decoding");
        await Stage(ResultNames.CsrParse, CpuIterations, i => { CertificationRequest.Parse(inputs.CsrDer[i % inputs.Count]); return default; },
            "CertificationRequest.Parse; the HTTP path runs it twice (CsrPem.Require, then SignAsync)");
        var csrKey = csr.SubjectPublicKeyInfo.ToArray();
        using (var imported = ECDsa.Create())
        {
            imported.ImportSubjectPublicKeyInfo(csrKey, out _);
            var (csrInfo, csrSignature) = SignedPart(inputs.CsrDer[0]);
            await Stage(ResultNames.KeyImport, CpuIterations, _ => { using var key = ECDsa.Create(); key.ImportSubjectPublicKeyInfo(csrKey, out _); return default; },
                "ECDsa.Create + ImportSubjectPublicKeyInfo, as SignatureVerifier does for every CSR");
            await Stage(ResultNames.VerifyOnly, CpuIterations, _ => { imported.VerifyData(csrInfo, csrSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence); return default; },
                "VerifyData with the key already imported");
        }
        await Stage(ResultNames.TokenLookup, CpuIterations, i => { runtime.Catalog.FindByToken(UnverifiedToken.Parse(inputs.Tokens[i % inputs.Count]), audiences); return default; },
            "UnverifiedToken.Parse + IProvisionerCatalog.FindByToken");
        await Stage(ResultNames.TokenVerify, CpuIterations, async i =>
            await provisioner.AuthorizeSignAsync(new AuthorizationContext { Token = UnverifiedToken.Parse(inputs.Tokens[i % inputs.Count]), Audiences = audiences.Sign }).ConfigureAwait(false),
            "JwkProvisioner.AuthorizeSignAsync (reads the decoded token, verifies the JWS)");
        await Stage(ResultNames.Template, CpuIterations, _ => { Describe(authorization, csr, context); return default; },
            "DefaultLeafTemplate.Render + the authorization's stage lists");
        await Stage(ResultNames.Tbs, CpuIterations, async _ => await stubIssuer.IssueAsync(description, default).ConfigureAwait(false),
            "X509Issuer.IssueAsync with a constant signature; includes the random serial");
        await Stage(ResultNames.Signature, CpuIterations, async _ => await realSigner.SignAsync(tbs).ConfigureAwait(false),
            "ICertificateSigner.SignAsync over a real TBS");
        await Stage(ResultNames.ReplayMemory, CpuIterations, async i => await memory.Stores.Replay.TryUseAsync($"mem-{i}", inputs.Tokens[0]).ConfigureAwait(false));
        await Stage(ResultNames.CertificateMemory, CpuIterations, async _ =>
            await memory.Stores.Certificates.RecordAsync(new StoredCertificate((++serial).ToString(System.Globalization.CultureInfo.InvariantCulture), issued.LeafDer, metadata), []).ConfigureAwait(false));
        await Stage(ResultNames.Response, CpuIterations, _ => { WireFormatApproximation.EncodeSignResponse(issued); return default; },
            "bench stand-in for IssuedCertificateResponse (3 PEM blocks + JSON)");
        await Stage(ResultNames.ReplaySqlite, DiskIterations, async i => await sqlite.Stores.Replay.TryUseAsync($"seq-{i}", inputs.Tokens[0]).ConfigureAwait(false),
            "one compare-and-swap = one transaction + fsync (synchronous=FULL)");
        await Stage(ResultNames.CertificateSqlite, DiskIterations, async _ =>
            await sqlite.Stores.Certificates.RecordAsync(new StoredCertificate((++serial).ToString(System.Globalization.CultureInfo.InvariantCulture), issued.LeafDer, metadata), []).ConfigureAwait(false),
            "one two-table batch = one transaction + fsync");

        var whole = SignInputs.Prepare(signer, Audience, fingerprint, "whole", 2 * (Warmup + CpuIterations));
        var offset = Warmup + CpuIterations;
        await Stage(ResultNames.WholeMemory, CpuIterations, async i =>
            await memory.Authority.SignAsync(new SignRequest(whole.CsrDer[i], whole.Tokens[i])).ConfigureAwait(false), "the sum the stages above should add up to");
        await Stage(ResultNames.WholeSqlite, DiskIterations, async i =>
            await sqlite.Authority.SignAsync(new SignRequest(whole.CsrDer[offset + i], whole.Tokens[offset + i])).ConfigureAwait(false), "two commits (replay, certificate) per request");

        var other = watch.Stop(clock.Elapsed).OtherPercent;
        results.StageNotes.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"**Stage timings** ran while other processes used {other:F0} % of the machine{(other > 10 ? "; fastest-batch figures resist that, but small differences between stages mean little" : "")}."));
        results.Modes.Add(await StoreOnlyAsync(sqlite, inputs.Tokens[0], issued.LeafDer, metadata, storeLevels).ConfigureAwait(false));
        return results;
    }

    // The two writes of a sign request (burn the token, then store the certificate) without the
    // CPU work around them: the ceiling SQLite group commit puts on requests per second.
    private static async Task<ModeResult> StoreOnlyAsync(ComposedAuthority sqlite, string token, byte[] der, CertificateMetadata metadata, IReadOnlyList<LoadLevel> levels)
    {
        var result = new ModeResult(ResultNames.StoreOnly, "per request: replay-store CAS then certificate batch, no crypto; shows the group-commit ceiling")
        {
            StartupRssMiB = ProcessMemory.CurrentRssMiB(Environment.ProcessId),
        };
        var serial = 1_000_000L;
        foreach (var level in levels)
        {
            var prefix = $"store-c{level.Concurrency}-";
            ProcessMemory.ResetPeak(Environment.ProcessId);
            var cpu = CpuWatch.Start(Environment.ProcessId, null, []);
            var sample = await LoadRunner.RunAsync(level.Requests, level.Concurrency, async i =>
            {
                if (!await sqlite.Stores.Replay.TryUseAsync(prefix + i, token).ConfigureAwait(false))
                {
                    return false;
                }
                var s = Interlocked.Increment(ref serial).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await sqlite.Stores.Certificates.RecordAsync(new StoredCertificate(s, der, metadata), []).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            var measured = LevelResult.From(level.Concurrency, sample, ProcessMemory.PeakRssMiB(Environment.ProcessId), 0, cpu.Stop(TimeSpan.FromSeconds(sample.Seconds)));
            result.Levels.Add(measured);
            Console.WriteLine($"  {result.Name,-28} c={level.Concurrency,-3} {measured}");
        }
        result.ProcessPeakRssMiB = result.Levels.Max(l => l.PeakRssMiB);
        return result;
    }

    private static X509CertificateDescription Describe(SignAuthorization authorization, CertificationRequest csr, IssuanceContext context)
    {
        foreach (var validator in authorization.RequestValidators)
        {
            validator.Validate(csr);
        }
        var certificate = DefaultLeafTemplate.Render(authorization.Template, csr);
        foreach (var modifier in authorization.Modifiers)
        {
            modifier.Modify(certificate, context);
        }
        foreach (var validator in authorization.Validators)
        {
            validator.Validate(certificate, context);
        }
        return certificate;
    }

    // CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING } (RFC 2986 §4.2).
    private static (byte[] Info, byte[] Signature) SignedPart(byte[] csrDer)
    {
        var reader = new System.Formats.Asn1.AsnReader(csrDer, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var info = reader.ReadEncodedValue().ToArray();
        reader.ReadEncodedValue();
        return (info, reader.ReadBitString(out _));
    }

    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1).
    private static byte[] TbsOf(byte[] certificateDer)
    {
        var reader = new System.Formats.Asn1.AsnReader(certificateDer, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        return reader.ReadEncodedValue().ToArray();
    }
}
