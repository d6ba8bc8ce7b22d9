namespace Medic.Core.Bus;

/// <summary>
/// Marks a type that travels on the bus. Each concrete message type is its own topic:
/// subscribers name the types they consume, publishers publish instances.
/// </summary>
#pragma warning disable CA1040 // A marker interface is the point: it types the topics.
public interface IMessage;
#pragma warning restore CA1040
