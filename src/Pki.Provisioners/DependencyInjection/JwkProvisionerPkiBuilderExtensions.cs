using System.Text.Json;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioners.Jwk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers JWK provisioners.</summary>
public static class JwkProvisionerPkiBuilderExtensions
{
    /// <summary>Lets ca.json entries of type JWK run (idempotent).</summary>
    public static PkiBuilder AddJwkProvisioners(this PkiBuilder builder) => builder.AddProvisionerFactory<JwkProvisionerFactory>();

    /// <summary>Adds a JWK provisioner in code, next to those of ca.json; validated at start-up like a ca.json entry.</summary>
    public static PkiBuilder AddJwkProvisioner(this PkiBuilder builder, string name, Action<JwkProvisionerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new JwkProvisionerOptions();
        configure(options);
        var key = options.Key ?? throw new ArgumentException($"JWK provisioner {name}: Key is required", nameof(configure));
        var json = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "JWK");
            writer.WriteString("name", name);
            writer.WritePropertyName("key");
            key.ToPublic().WriteTo(writer);
            if (options.EncryptedKey is { } encrypted)
            {
                writer.WriteString("encryptedKey", encrypted);
            }
            if (options.Claims is { } claims)
            {
                writer.WritePropertyName("claims");
                claims.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(json.WrittenMemory);
        return builder.AddJwkProvisioners().AddProvisioner(ProvisionerConfig.FromJson(document.RootElement.Clone()));
    }
}
