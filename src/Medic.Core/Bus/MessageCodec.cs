using System.Text.Json;
using Medic.Core.Json;

namespace Medic.Core.Bus;

/// <summary>Turns messages into JSON and back, for the messages a stopping stage persists.</summary>
public static class MessageCodec
{
    /// <summary>Serialises a message; returns its topic name and JSON.</summary>
    public static (string Topic, string Json) Encode(IMessage message)
    {
        var type = message.GetType();
        return (MessageTypes.NameOf(type), JsonSerializer.Serialize(message, type, MedicJson.Options));
    }

    /// <summary>Reads a message back; throws <see cref="InvalidDataException"/> on an unknown topic.</summary>
    public static IMessage Decode(string topic, string json)
    {
        if (!MessageTypes.ByName.TryGetValue(topic, out var type))
        {
            throw new InvalidDataException($"Unknown message topic '{topic}': it was persisted by another version of Medic.");
        }

        return (IMessage)(JsonSerializer.Deserialize(json, type, MedicJson.Options)
            ?? throw new InvalidDataException($"Persisted message of topic '{topic}' is empty."));
    }
}
