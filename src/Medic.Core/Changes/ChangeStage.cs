using Medic.Core.Bus;
using Medic.Core.Stages;
using Medic.Core.Storage;

namespace Medic.Core.Changes;

/// <summary>Changes: records every change event, so diagnosis can ask what changed before an incident.</summary>
public sealed class ChangeStage(IChangeStore changes) : IStage
{
    /// <inheritdoc />
    public string Name => "changes";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(ChangeEvent)];

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is ChangeEvent change)
        {
            await changes.AddAsync(change, cancellationToken);
        }
    }
}
