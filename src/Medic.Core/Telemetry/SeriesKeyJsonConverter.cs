using System.Text.Json;
using System.Text.Json.Serialization;

namespace Medic.Core.Telemetry;

/// <summary>Writes a series key as <c>{"name":"...","labels":{"a":"1"}}</c>.</summary>
internal sealed class SeriesKeyJsonConverter : JsonConverter<SeriesKey>
{
    public override SeriesKey? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var name = root.GetProperty("name").GetString() ?? throw new JsonException("A series needs a name.");
        var labels = root.TryGetProperty("labels", out var l)
            ? l.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString() ?? "")).ToList()
            : [];
        return new SeriesKey(name, labels);
    }

    public override void Write(Utf8JsonWriter writer, SeriesKey value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WriteStartObject("labels");
        foreach (var (key, label) in value.Labels)
        {
            writer.WriteString(key, label);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
