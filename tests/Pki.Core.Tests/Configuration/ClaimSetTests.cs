using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>Claims merging and validation (authority/provisioner/claims.go <c>Claimer</c>).</summary>
public class ClaimSetTests
{
    private static readonly TimeSpan M = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan H = TimeSpan.FromHours(1);

    [Test]
    public void Global_defaults_are_step_cas()
    {
        var g = ClaimSet.Global;

        (g.MinTlsCertDuration, g.MaxTlsCertDuration, g.DefaultTlsCertDuration).Should().Be((5 * M, 24 * H, 24 * H));
        (g.MinUserSshCertDuration, g.MaxUserSshCertDuration, g.DefaultUserSshCertDuration).Should().Be((5 * M, 24 * H, 16 * H));
        (g.MinHostSshCertDuration, g.MaxHostSshCertDuration, g.DefaultHostSshCertDuration).Should().Be((5 * M, 720 * H, 720 * H));
        (g.EnableSshCa, g.DisableRenewal, g.AllowRenewalAfterExpiry, g.DisableSmallstepExtensions).Should().Be((false, false, false, false));
    }

    // authority claims, provisioner claims -> effective TLS (min, default, max)
    private static IEnumerable<TestCaseData> TlsMergeCases()
    {
        yield return Case("nothing set", null, null, 5 * M, 24 * H, 24 * H);
        yield return Case("authority overrides", new() { MaxTlsCertDuration = 48 * H }, null, 5 * M, 24 * H, 48 * H);
        yield return Case("provisioner over authority", new() { MaxTlsCertDuration = 48 * H }, new() { MaxTlsCertDuration = 12 * H, DefaultTlsCertDuration = 1 * H }, 5 * M, 1 * H, 12 * H);
        yield return Case("default above max stretches max", null, new() { DefaultTlsCertDuration = 48 * H }, 5 * M, 48 * H, 48 * H);
        yield return Case("default below min stretches min", null, new() { DefaultTlsCertDuration = 2 * M }, 2 * M, 2 * M, 24 * H);
        yield return Case("set bounds are not stretched", null, new() { DefaultTlsCertDuration = 48 * H, MaxTlsCertDuration = 36 * H }, 5 * M, 48 * H, 36 * H);
        yield return Case("authority default stretches too", new() { DefaultTlsCertDuration = 72 * H }, null, 5 * M, 72 * H, 72 * H);
        yield return Case("stretch is against the authority range", new() { MaxTlsCertDuration = 96 * H }, new() { DefaultTlsCertDuration = 48 * H }, 5 * M, 48 * H, 96 * H);

        static TestCaseData Case(string name, ClaimsConfig? authority, ClaimsConfig? provisioner, TimeSpan min, TimeSpan def, TimeSpan max) =>
            new TestCaseData(authority, provisioner, min, def, max).SetName("Tls merge: " + name);
    }

    [TestCaseSource(nameof(TlsMergeCases))]
    public void Tls_durations_merge_like_the_claimer(ClaimsConfig? authority, ClaimsConfig? provisioner, TimeSpan min, TimeSpan def, TimeSpan max)
    {
        var merged = ClaimSet.Global.Merge(authority).Merge(provisioner);

        (merged.MinTlsCertDuration, merged.DefaultTlsCertDuration, merged.MaxTlsCertDuration).Should().Be((min, def, max));
    }

    [Test]
    public void Ssh_durations_stretch_per_certificate_type()
    {
        var merged = ClaimSet.Global.Merge(new ClaimsConfig { DefaultUserSshCertDuration = 48 * H, DefaultHostSshCertDuration = 1 * M });

        (merged.MinUserSshCertDuration, merged.DefaultUserSshCertDuration, merged.MaxUserSshCertDuration).Should().Be((5 * M, 48 * H, 48 * H));
        (merged.MinHostSshCertDuration, merged.DefaultHostSshCertDuration, merged.MaxHostSshCertDuration).Should().Be((1 * M, 1 * M, 720 * H));
        merged.MaxTlsCertDuration.Should().Be(24 * H);
    }

    [Test]
    public void Booleans_take_the_nearest_set_value()
    {
        var authority = new ClaimsConfig { EnableSshCa = true, DisableRenewal = true };
        var provisioner = new ClaimsConfig { DisableRenewal = false, AllowRenewalAfterExpiry = true, DisableSmallstepExtensions = true };

        var merged = ClaimSet.Global.Merge(authority).Merge(provisioner);

        (merged.EnableSshCa, merged.DisableRenewal, merged.AllowRenewalAfterExpiry, merged.DisableSmallstepExtensions).Should().Be((true, false, true, true));
        ClaimSet.Global.Merge(authority).Merge(null).DisableRenewal.Should().BeTrue();
    }

    [Test]
    public void Valid_sets_have_no_problems()
    {
        ClaimSet.Global.Validate("authority.claims").Should().BeEmpty();
        ClaimSet.Global.Merge(new ClaimsConfig { DefaultTlsCertDuration = 48 * H }).Validate("x").Should().BeEmpty();
    }

    [Test]
    public void Max_below_min_names_the_field_the_layer_set()
    {
        var claims = new ClaimsConfig { MaxTlsCertDuration = 1 * M };

        var problems = ClaimSet.Global.Merge(claims).Validate("authority.provisioners[0].claims", claims);

        problems.Select(p => p.ToString()).Should().BeEquivalentTo(
            "authority.provisioners[0].claims.maxTLSCertDuration: 1m0s is less than minTLSCertDuration 5m0s",
            "authority.provisioners[0].claims.maxTLSCertDuration: 1m0s is less than defaultTLSCertDuration 24h0m0s");
        problems.Should().OnlyContain(p => p.Severity == ConfigDiagnosticSeverity.Error);
    }

    [Test]
    public void Min_above_inherited_default_blames_min()
    {
        var claims = new ClaimsConfig { MinTlsCertDuration = 30 * H, MaxTlsCertDuration = 40 * H };

        var problems = ClaimSet.Global.Merge(claims).Validate("authority.claims", claims);

        problems.Should().ContainSingle().Which.ToString().Should().Be("authority.claims.minTLSCertDuration: 30h0m0s is greater than defaultTLSCertDuration 24h0m0s");
    }

    [Test]
    public void Non_positive_tls_durations_are_errors()
    {
        var claims = new ClaimsConfig { MinTlsCertDuration = TimeSpan.Zero };

        var problems = ClaimSet.Global.Merge(claims).Validate("authority.claims", claims);

        problems.Should().ContainSingle().Which.Should().Be(ConfigDiagnostic.Error("authority.claims.minTLSCertDuration", "must be greater than 0, got 0s"));
    }

    [Test]
    public void Inconsistent_ssh_ranges_are_warnings_because_step_ca_accepts_them()
    {
        var claims = new ClaimsConfig { MaxHostSshCertDuration = 1 * H };

        var problems = ClaimSet.Global.Merge(claims).Validate("authority.claims", claims);

        problems.Should().ContainSingle().Which.Should().Be(ConfigDiagnostic.Warning(
            "authority.claims.maxHostSSHCertDuration", "1h0m0s is less than defaultHostSSHCertDuration 720h0m0s"));
    }

    [Test]
    public void To_claims_config_lists_every_member()
    {
        ClaimSet.Global.ToClaimsConfig().ToJson().Should().Be(
            """{"minTLSCertDuration":"5m0s","maxTLSCertDuration":"24h0m0s","defaultTLSCertDuration":"24h0m0s","minUserSSHCertDuration":"5m0s","maxUserSSHCertDuration":"24h0m0s","defaultUserSSHCertDuration":"16h0m0s","minHostSSHCertDuration":"5m0s","maxHostSSHCertDuration":"720h0m0s","defaultHostSSHCertDuration":"720h0m0s","enableSSHCA":false,"disableRenewal":false,"allowRenewalAfterExpiry":false,"disableSmallstepExtensions":false}""");
    }
}
