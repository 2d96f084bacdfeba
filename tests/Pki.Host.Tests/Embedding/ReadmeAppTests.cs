using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Smallstep.Pki.Tests.Host.Binary;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Embedding;

/// <summary>
/// A new user following only the README: a fresh <c>dotnet new web</c> app on the packed packages,
/// its <c>Program.cs</c> replaced by the README's code block (so the README is what is tested),
/// a PKI from <c>pki-host init</c>, a certificate for a <c>pki-host token</c>, then a renewal over
/// mutual TLS with that certificate.
/// </summary>
public sealed class ReadmeAppTests
{
    private const string Heading = "## Embedding the CA in an app";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Fresh_web_app_from_the_readme_gets_a_certificate_and_renews_it_over_mtls()
    {
        var program = ReadmeCodeBlock.Extract(Heading, "csharp");
        using var work = new TemporaryDirectory();
        var app = Path.Combine(work.Path, "app");
        var created = await DotnetCli.RunAsync(work.Path, TimeSpan.FromMinutes(2), "new", "web", "-o", app, "--no-restore");
        if (created.ExitCode != 0)
        {
            var reason = $"`dotnet new web` is not available here (exit {created.ExitCode}): {created.Output.Trim()}";
            TestContext.Out.WriteLine(reason);
            Assert.Ignore(reason);
        }
        var feed = await PackedFeed.GetAsync();
        WriteNuGetConfig(app, feed.Directory);
        foreach (var id in PackedFeed.PackageIds.Where(id => id != "Smallstep.Pki.Host"))
        {
            await DotnetCli.RunCheckedAsync(app, TimeSpan.FromMinutes(1), "add", "package", id, "--version", feed.Version, "--no-restore");
        }
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), program);
        await DotnetCli.RunCheckedAsync(app, TimeSpan.FromMinutes(4), "build", "-c", "Release", "-v", "q", "--nologo", "--disable-build-servers");

        // The README's `pki-host init`, with a password file that does not exist yet.
        var stepPath = Path.Combine(work.Path, "step");
        var passwordFile = Path.Combine(work.Path, "password.txt");
        var port = FreePort();
        var (initExit, initOutput) = await HostProcess.RunToExitAsync(stepPath,
            "init", "--name", "Readme", "--dns", "127.0.0.1", "--address", $"127.0.0.1:{port}", "--provisioner", "admin", "--password-file", passwordFile);
        initExit.Should().Be(0, initOutput);
        var caJson = Path.Combine(stepPath, "config", "ca.json");
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(stepPath, "certs", "root_ca.crt"));
        using var intermediate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(stepPath, "certs", "intermediate_ca.crt"));

        await using var running = StartApp(app, work.Path, "--Pki:CaJson", caJson, "--Pki:PasswordFile", passwordFile,
            "--Pki:Database", Path.Combine(work.Path, "ca.db"), "--Pki:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await running.WaitForLineAsync(l => l.Contains($"Now listening on: https://127.0.0.1:{port}", StringComparison.Ordinal));
        var baseAddress = new Uri($"https://127.0.0.1:{port}");

        // Sign: a one-time token from `pki-host token` and a CSR.
        var (tokenExit, token) = await HostProcess.RunToExitAsync(stepPath,
            "token", "readme.app.test", "--ca-config", caJson, "--password-file", passwordFile, "--ca-url", baseAddress.ToString().TrimEnd('/'));
        tokenExit.Should().Be(0, token);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=readme.app.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("readme.app.test");
        csr.CertificateExtensions.Add(names.Build());
        IssuedResponse signed;
        using (var http = CaHttpClient.Create(baseAddress, root))
        using (var response = await http.PostAsJsonAsync("/1.0/sign", new { csr = csr.CreateSigningRequestPem(), ott = token.Trim() }))
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.Created, body + "\napp output:\n" + running.OutputText);
            signed = IssuedResponse.Parse(body);
        }
        using var original = signed.Leaf;
        using var client = original.CopyWithPrivateKey(key);

        // Renew over mutual TLS: the certificate in the handshake is the only credential.
        IssuedResponse renewed;
        using (var mtls = CaHttpClient.Create(baseAddress, root, client))
        using (var response = await mtls.PostAsync("/1.0/renew", content: null))
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.Created, body + "\napp output:\n" + running.OutputText);
            renewed = IssuedResponse.Parse(body);
        }
        using var leaf = renewed.Leaf;
        leaf.Subject.Should().Be("CN=readme.app.test");
        leaf.SerialNumber.Should().NotBe(original.SerialNumber);
        leaf.GetPublicKey().Should().Equal(original.GetPublicKey(), "a renewal keeps the key");
        leaf.NotAfter.Should().BeOnOrAfter(original.NotAfter);
        leaf.Issuer.Should().Be(intermediate.Subject);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.Build(leaf).Should().BeTrue(string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    // The repository's package sources (the registry its own restore uses) plus the local feed.
    private static void WriteNuGetConfig(string app, string feed)
    {
        var config = XDocument.Load(Path.Combine(Fixtures.RepositoryRoot, "nuget.config"));
        var sources = config.Root!.Element("packageSources")!;
        sources.Add(new XElement("add", new XAttribute("key", "smallstep-pki"), new XAttribute("value", feed)));
        config.Save(Path.Combine(app, "nuget.config"));
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static AppProcess StartApp(string app, string workingDirectory, params string[] arguments)
    {
        var dll = Path.Combine(app, "bin", "Release", "net10.0", "app.dll");
        var start = DotnetCli.StartInfo(workingDirectory, [dll, .. arguments]);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return AppProcess.Start(start);
    }

    /// <summary>The built app as a child process, its output captured line by line.</summary>
    private sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly LogCapture _output = new();

        private AppProcess(Process process) => _process = process;

        public string OutputText => string.Join('\n', _output.Lines);

        public static AppProcess Start(ProcessStartInfo start)
        {
            var app = new AppProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
            app._process.OutputDataReceived += (_, e) => app.Capture(e.Data);
            app._process.ErrorDataReceived += (_, e) => app.Capture(e.Data);
            app._process.Start();
            app._process.StandardInput.Close();
            app._process.BeginOutputReadLine();
            app._process.BeginErrorReadLine();
            return app;
        }

        public async Task WaitForLineAsync(Func<string, bool> match)
        {
            var line = _output.WaitForLineAsync(0, match, StartTimeout);
            var exited = _process.WaitForExitAsync();
            if (await Task.WhenAny(line, exited) == exited && !line.IsCompleted)
            {
                await _process.WaitForExitAsync();
                _output.Lines.Any(match).Should().BeTrue($"the app exited with {_process.ExitCode} before listening; output:\n{OutputText}");
                return;
            }
            await line;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }

        private void Capture(string? line)
        {
            if (line is not null)
            {
                _output.Write(line + "\n");
            }
        }
    }
}
