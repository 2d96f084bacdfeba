using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Provisioning;

public sealed class AudiencesTests
{
    private readonly Audiences _audiences = new(["ca.example.com", "127.0.0.1", "::1"]);

    [TestCase("https://ca.example.com/1.0/sign")]
    [TestCase("https://ca.example.com:9000/1.0/sign")]
    [TestCase("https://ca.example.com/sign")]
    [TestCase("https://127.0.0.1:9444/1.0/sign")]
    [TestCase("https://[::1]:443/1.0/sign")]
    [TestCase("step-certificate-authority")]
    public void Sign_accepts_step_ca_audiences_on_any_port(string audience) =>
        _audiences.Sign.Matches([audience]).Should().BeTrue();

    [TestCase("https://ca.example.com/1.0/renew")]
    [TestCase("https://evil.example.com/1.0/sign")]
    [TestCase("https://ca.example.com.evil.com/1.0/sign")]
    [TestCase("http://ca.example.com/1.0/sign")]
    [TestCase("")]
    public void Sign_refuses_other_audiences(string audience) =>
        _audiences.Sign.Matches([audience]).Should().BeFalse();

    [Test]
    public void Revoke_and_renew_are_separate() 
    {
        _audiences.Revoke.Matches(["https://ca.example.com/1.0/revoke"]).Should().BeTrue();
        _audiences.Revoke.Matches(["https://ca.example.com/1.0/sign"]).Should().BeFalse();
        _audiences.Renew.Matches(["https://ca.example.com/renew"]).Should().BeTrue();
        _audiences.Renew.Matches(["step-certificate-authority"]).Should().BeFalse();
    }

    [Test]
    public void Fragments_are_appended_for_x5c_style_tokens() =>
        _audiences.All.WithFragment("x5c/prov").Matches(["https://ca.example.com/1.0/sign#x5c/prov"]).Should().BeTrue();
}
