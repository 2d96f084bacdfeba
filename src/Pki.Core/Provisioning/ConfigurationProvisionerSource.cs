using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioning;

/// <summary>
/// Provisioner entries from an <see cref="IConfiguration"/> section (appsettings.json, environment
/// variables, ...): each child of the section is one entry in ca.json form, e.g.
/// <c>Pki:Provisioners:0:type = JWK</c>, <c>Pki:Provisioners:0:name = ops</c>,
/// <c>Pki:Provisioners:0:key:kid = ...</c>. Children numbered 0, 1, ... become JSON arrays, the values
/// <c>true</c> and <c>false</c> become booleans, and every other value a string (configuration
/// values carry no JSON types). The entries are read again on every reload, and bound and validated
/// by their type exactly as ca.json entries are.
/// </summary>
/// <param name="section">The section whose children are the entries.</param>
public sealed class ConfigurationProvisionerSource(IConfiguration section) : IProvisionerSource
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ProvisionerSourceEntry>> LoadAsync(CaConfig config, CancellationToken cancellationToken = default)
    {
        var entries = new List<ProvisionerSourceEntry>();
        var errors = new List<ConfigDiagnostic>();
        foreach (var child in section.GetChildren())
        {
            var field = "configuration " + child.Path;
            try
            {
                entries.Add(new ProvisionerSourceEntry(ProvisionerConfig.FromJson(ToJson(child)), field));
            }
            catch (CaConfigException e)
            {
                errors.AddRange(e.Errors.Select(d => d with { Field = $"{field}.{d.Field}" }));
            }
        }
        return errors.Count > 0 ? throw new CaConfigException("configuration", errors) : ValueTask.FromResult<IReadOnlyList<ProvisionerSourceEntry>>(entries);
    }

    private static JsonElement ToJson(IConfigurationSection entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entry);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, IConfigurationSection node)
    {
        var children = node.GetChildren().ToArray();
        if (children.Length == 0)
        {
            switch (node.Value)
            {
                case null: writer.WriteNullValue(); break;
                case "true": writer.WriteBooleanValue(true); break;
                case "false": writer.WriteBooleanValue(false); break;
                default: writer.WriteStringValue(node.Value); break;
            }
            return;
        }
        var isArray = children.Select((c, i) => c.Key == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(b => b);
        if (isArray)
        {
            writer.WriteStartArray();
            foreach (var child in children)
            {
                Write(writer, child);
            }
            writer.WriteEndArray();
            return;
        }
        writer.WriteStartObject();
        foreach (var child in children)
        {
            writer.WritePropertyName(child.Key);
            Write(writer, child);
        }
        writer.WriteEndObject();
    }
}
