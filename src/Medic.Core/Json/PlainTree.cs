using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Medic.Core.Json;

/// <summary>
/// Converts between JSON and "plain trees": string-keyed dictionaries, lists and scalars.
/// Conditions, templates and step outputs all work on plain trees.
/// </summary>
public static class PlainTree
{
    /// <summary>Converts a JSON node to a plain tree (numbers become <see cref="decimal"/> or <see cref="double"/>).</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue value => FromValue(value),
        _ => null,
    };

    /// <summary>Converts any serialisable object to a plain tree through JSON.</summary>
    public static object? FromObject(object? value) =>
        value is null ? null : FromJson(JsonSerializer.SerializeToNode(value, value.GetType(), MedicJson.Options));

    /// <summary>Converts a plain tree to JSON.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        IDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        decimal d => JsonValue.Create(d),
        double d => JsonValue.Create(d),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        System.Collections.IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToJson).ToArray()),
        IFormattable f => JsonValue.Create(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };

    private static object? FromValue(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => ParseNumber(value.ToJsonString()),
        _ => null,
    };

    private static object ParseNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
