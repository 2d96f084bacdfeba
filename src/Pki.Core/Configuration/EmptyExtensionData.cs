using System.Collections.ObjectModel;
using System.Text.Json;

namespace Smallstep.Pki.Configuration;

/// <summary>The shared empty <c>ExtensionData</c> of configuration objects with no unknown members.</summary>
internal static class EmptyExtensionData
{
    public static readonly IReadOnlyDictionary<string, JsonElement> Instance = ReadOnlyDictionary<string, JsonElement>.Empty;
}
