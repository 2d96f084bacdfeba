using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Tests.Configuration;

/// <summary>Relative path rules: working directory then STEPPATH, and step.Abs for templates.</summary>
public class ConfigPathResolverTests
{
    private static readonly ConfigPathResolver Resolver = new("/work/cwd", "/srv/step/", "/home/ca");

    [TestCase("/abs/t.tpl", "/abs/t.tpl", ConfigPathBase.Absolute)]
    [TestCase("~/t.tpl", "/home/ca/t.tpl", ConfigPathBase.Home)]
    [TestCase("./t.tpl", "/work/cwd/t.tpl", ConfigPathBase.WorkingDirectory)]
    [TestCase("../t.tpl", "/work/t.tpl", ConfigPathBase.WorkingDirectory)]
    [TestCase("templates/ssh/ca.tpl", "/srv/step/templates/ssh/ca.tpl", ConfigPathBase.StepPath)]
    [TestCase("~user/t.tpl", "/srv/step/~user/t.tpl", ConfigPathBase.StepPath)]
    public void Step_abs_rules(string path, string expected, ConfigPathBase expectedBase)
    {
        Assume.That(Path.DirectorySeparatorChar, Is.EqualTo('/'));

        Resolver.ResolveStepPath(path).Should().Be(new ResolvedConfigPath(path, expected, expectedBase));
    }

    [Test]
    public void Directories_are_normalised()
    {
        Assume.That(Path.DirectorySeparatorChar, Is.EqualTo('/'));

        (Resolver.WorkingDirectory, Resolver.StepPath, Resolver.HomeDirectory).Should().Be(("/work/cwd", "/srv/step", "/home/ca"));
        new ConfigPathResolver("/work/cwd", "step", "/home").StepPath.Should().Be("/work/cwd/step");
    }

    [Test]
    public void Relative_paths_prefer_an_existing_file_in_the_working_directory()
    {
        var pki = Fixtures.Path("pki");
        var resolver = new ConfigPathResolver(pki, "/nonexistent/step", "/home");

        resolver.Resolve("certs/root_ca.crt").Should().Be(new ResolvedConfigPath("certs/root_ca.crt", Path.Combine(pki, "certs", "root_ca.crt"), ConfigPathBase.WorkingDirectory));
        resolver.Resolve("certs/other.crt").Should().Be(new ResolvedConfigPath("certs/other.crt", Path.GetFullPath("/nonexistent/step/certs/other.crt"), ConfigPathBase.StepPath));
        resolver.ResolvePath("db").Should().Be(Path.GetFullPath("/nonexistent/step/db"));
    }

    [Test]
    public void Empty_paths_are_refused()
    {
        FluentActions.Invoking(() => Resolver.Resolve("")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Resolver.ResolveStepPath("")).Should().Throw<ArgumentException>();
    }
}
