using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Smallstep.Pki.Provisioners.Http;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Tests.Http;

namespace Smallstep.Pki.Tests.Backends;

/// <summary>A minimal embedding app over a <see cref="PkiCopy"/>, with the registrations a test chooses.</summary>
internal static class EmbeddedApp
{
    public static WebApplication Build(PkiCopy pki, Action<PkiBuilder> register, CapturedLogs? logs = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        var pkiBuilder = builder.Services.AddPki();
        register(pkiBuilder);
        pkiBuilder.FromCaJson(pki.ConfigPath, pki.LoaderOptions);
        builder.Services.AddStepApi();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapStepApi();
        return app;
    }

    /// <summary>POST /1.0/sign with a token of the fixture's JWK provisioner.</summary>
    public static async Task<HttpResponseMessage> SignAsync(WebApplication app, PkiCopy pki, string subject)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var encrypted = JsonDocument.Parse(File.ReadAllText(pki.ConfigPath)).RootElement
            .GetProperty("authority").GetProperty("provisioners")[0].GetProperty("encryptedKey").GetString()!;
        var key = EncryptedKey.Decrypt(encrypted, PkiCopy.Password);
        var token = new TokenSigner(key).Sign(new TokenDescriptor { Issuer = "fixture-admin", Subject = subject, Audience = ["https://127.0.0.1/1.0/sign"] });
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=" + subject, ec, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        return await http.PostAsJsonAsync("/1.0/sign", new { csr, ott = token });
    }

    /// <summary>The leaf of a sign response, checked to chain to the PKI's root through its intermediate.</summary>
    public static async Task<X509Certificate2> VerifiedLeafAsync(HttpResponseMessage response, PkiCopy pki)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var leaf = X509Certificate2.CreateFromPem(body.GetProperty("crt").GetString());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(Path.Combine(pki.StepPath, "certs", "root_ca.crt")));
        chain.ChainPolicy.ExtraStore.Add(X509CertificateLoader.LoadCertificateFromFile(Path.Combine(pki.StepPath, "certs", "intermediate_ca.crt")));
        chain.Build(leaf).Should().BeTrue(string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
        return leaf;
    }
}
