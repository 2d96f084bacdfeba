using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.TestServers.AwsKms;

/// <summary>What the server was asked, for tests that check how the client called it.</summary>
/// <param name="Operation">The <c>X-Amz-Target</c> operation, e.g. <c>Sign</c>.</param>
/// <param name="KeyId">The request's <c>KeyId</c>.</param>
/// <param name="MessageType">The Sign request's <c>MessageType</c>.</param>
/// <param name="SigningAlgorithm">The Sign request's <c>SigningAlgorithm</c>.</param>
/// <param name="Error">The AWS error type answered, or null for success.</param>
public sealed record KmsRequestRecord(string Operation, string? KeyId, string? MessageType, string? SigningAlgorithm, string? Error);

/// <summary>
/// A local AWS KMS: HTTPS on 127.0.0.1 (a free port, a self-signed certificate in
/// <see cref="CaBundlePath"/>), the JSON 1.1 protocol (<c>POST /</c>,
/// <c>X-Amz-Target: TrentService.&lt;Operation&gt;</c>, <c>application/x-amz-json-1.1</c>), every
/// request's SigV4 signature checked against one access key, real keys in memory, and AWS's error
/// shape (<c>{"__type":"NotFoundException","message":…}</c>, HTTP 400).
/// </summary>
public sealed class LocalAwsKmsServer : IAsyncDisposable
{
    /// <summary>The account in ARNs.</summary>
    public const string AccountId = "111122223333";

    private readonly WebApplication _app;
    private readonly KmsOperations _operations;
    private readonly ConcurrentQueue<KmsRequestRecord> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _denied = new(StringComparer.Ordinal);
    private readonly string _directory;
    private int _disposed;

    private LocalAwsKmsServer(WebApplication app, KmsOperations operations, string directory, X509Certificate2 certificate, string region, string accessKeyId, string secretAccessKey)
    {
        _app = app;
        _operations = operations;
        _directory = directory;
        Certificate = certificate;
        Region = region;
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        CaBundlePath = Path.Combine(directory, "kms-ca.pem");
        File.WriteAllText(CaBundlePath, certificate.ExportCertificatePem());
    }

    /// <summary>The region requests must be signed for.</summary>
    public string Region { get; }

    /// <summary>The one accepted access key id.</summary>
    public string AccessKeyId { get; }

    /// <summary>Its secret.</summary>
    public string SecretAccessKey { get; }

    /// <summary>The server's certificate (self-signed, for 127.0.0.1).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A PEM file with <see cref="Certificate"/>, for a profile's <c>ca_bundle</c>.</summary>
    public string CaBundlePath { get; }

    /// <summary><c>https://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri Endpoint => new(_app.Urls.First());

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<KmsRequestRecord> Requests => [.. _requests];

    /// <summary>Starts a server accepting requests signed with this key for this region.</summary>
    public static async Task<LocalAwsKmsServer> StartAsync(string accessKeyId, string secretAccessKey, string region = "us-east-2", TimeProvider? time = null)
    {
        var directory = Directory.CreateTempSubdirectory("local-awskms-").FullName;
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var operations = new KmsOperations(region, AccountId);
        var verifier = new SigV4Verifier(new Dictionary<string, string> { [accessKeyId] = secretAccessKey }, region, "kms", time ?? TimeProvider.System);
        var server = new LocalAwsKmsServer(app, operations, directory, certificate, region, accessKeyId, secretAccessKey);
        app.MapPost("/", context => server.HandleAsync(context, verifier));
        await app.StartAsync();
        return server;
    }

    /// <summary>Makes every later <paramref name="operation"/> (e.g. <c>Sign</c>) fail with AccessDeniedException, as a missing IAM permission does.</summary>
    public void Deny(string operation) => _denied[operation] = true;

    /// <summary>Adds a key without going through the API (e.g. <c>SYMMETRIC_DEFAULT</c>/<c>ENCRYPT_DECRYPT</c>); returns its id.</summary>
    public string AddKey(string keySpec, string keyUsage) => _operations.Add(keySpec, keyUsage);

    /// <summary>The aliases of a key (with <c>alias/</c>).</summary>
    public IReadOnlyList<string> AliasesOf(string keyId) => _operations.AliasesOf(keyId);

    /// <summary>The description a key was created with.</summary>
    public string? DescriptionOf(string keyId) => _operations.DescriptionOf(keyId);

    /// <summary>
    /// Writes an AWS shared credentials file for this server: the profile's keys (or the given
    /// wrong secret), its region, <c>endpoint_url</c> and <c>ca_bundle</c>. Returns the path.
    /// </summary>
    public string WriteCredentialsFile(string directory, string profile = "default", string? secretAccessKey = null)
    {
        var path = Path.Combine(directory, "credentials");
        var section = $"""
            [{profile}]
            aws_access_key_id = {AccessKeyId}
            aws_secret_access_key = {secretAccessKey ?? SecretAccessKey}
            region = {Region}
            endpoint_url = {Endpoint.ToString().TrimEnd('/')}
            ca_bundle = {CaBundlePath}

            """;
        File.AppendAllText(path, section);
        return path;
    }

    /// <summary>Stops the server and removes its files; idempotent (a test may stop it early to make it unreachable).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task HandleAsync(HttpContext context, SigV4Verifier verifier)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith("TrentService.", StringComparison.Ordinal) ? target["TrentService.".Length..] : target;
        JsonObject? input = null;
        try
        {
            if (verifier.Verify(context.Request, body) is { } refused)
            {
                throw new KmsErrorException(refused.Type, refused.Message);
            }
            if (!context.Request.ContentType?.StartsWith("application/x-amz-json-1.1", StringComparison.Ordinal) ?? true)
            {
                throw new KmsErrorException("UnknownOperationException", "Content-Type must be application/x-amz-json-1.1");
            }
            input = ParseInput(body);
            if (_denied.ContainsKey(operation))
            {
                throw new KmsErrorException("AccessDeniedException",
                    $"User: arn:aws:iam::{AccountId}:user/ca is not authorized to perform: kms:{operation} on resource: {input["KeyId"]} because no identity-based policy allows the kms:{operation} action");
            }
            var output = _operations.Invoke(operation, input);
            Record(operation, input, null);
            await WriteAsync(context, 200, output);
        }
        catch (KmsErrorException e)
        {
            Record(operation, input, e.Type);
            await WriteAsync(context, 400, new JsonObject { ["__type"] = e.Type, ["message"] = e.Message });
        }
    }

    private static JsonObject ParseInput(byte[] body)
    {
        try
        {
            return body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? throw new KmsErrorException("SerializationException", "the body is not a JSON object");
        }
        catch (JsonException)
        {
            throw new KmsErrorException("SerializationException", "the body is not JSON");
        }
    }

    private void Record(string operation, JsonObject? input, string? error)
    {
        string? Text(string name) => input?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        _requests.Enqueue(new KmsRequestRecord(operation, Text("KeyId"), Text("MessageType"), Text("SigningAlgorithm"), error));
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>A self-signed ECDSA certificate for 127.0.0.1 and localhost, through PKCS#12 so Kestrel gets a persisted key.</summary>
    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=local AWS KMS", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(IPAddress.Loopback);
        sans.AddDnsName("localhost");
        request.CertificateExtensions.Add(sans.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
