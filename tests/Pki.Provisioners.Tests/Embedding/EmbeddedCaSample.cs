using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Smallstep.Pki.Provisioners.Http;

namespace Smallstep.Pki.Tests.Embedding;

/// <summary>
/// The embedding registrations of the README's <c>Program.cs</c>, in process and over plain HTTP, run by
/// <see cref="EmbeddedCaSampleTests"/>. The README's code block itself is compiled and run as a new app by
/// tests/Pki.Host.Tests/Embedding/ReadmeAppTests.cs.
/// </summary>
internal static class EmbeddedCaSample
{
    public static WebApplication Build(string caJson, string password, string database)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddPki()
            .AddSoftKms(o => o.PasswordProvider = _ => password)   // decrypts the ca.json keys
            .AddSqliteStorage(database)                             // certificates, revocations, used tokens
            .AddStepProvisioners()                                  // lets ca.json provisioners run (JWK; others listed, 501)
            .FromCaJson(caJson);                                    // roots, crt/key, dnsNames, claims ...
        builder.Services.AddStepApi();
        builder.WebHost.UseUrls("http://127.0.0.1:0");              // TLS termination is the app's choice
        var app = builder.Build();
        app.MapStepApi();                                           // /sign, /renew, /revoke, /roots ... and /1.0/...
        return app;
    }
}
