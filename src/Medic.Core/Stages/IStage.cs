using Medic.Core.Bus;

namespace Medic.Core.Stages;

/// <summary>
/// One stage of the loop: it reads the topics it consumes, keeps its own state and publishes
/// what it finds. The host calls <see cref="HandleAsync"/> for one message at a time, so a stage
/// needs no locks around its own state.
/// </summary>
public interface IStage
{
    /// <summary>The stage's name; also the name of its inbox on the bus.</summary>
    string Name { get; }

    /// <summary>The message types (topics) this stage reads.</summary>
    IReadOnlyCollection<Type> Consumes { get; }

    /// <summary>Handles one message. An exception is logged and the message is not retried.</summary>
    ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken);
}
