using Medic.Core.Bus;
using Medic.Core.Stages;
using Medic.Core.Telemetry;

namespace Medic.Core.Topology;

/// <summary>Graph: keeps the learned topology up to date from the labels of incoming samples.</summary>
public sealed class TopologyStage(LearnedTopology topology) : IStage
{
    /// <inheritdoc />
    public string Name => "topology";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(SampleBatch)];

    /// <inheritdoc />
    public ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is SampleBatch batch)
        {
            topology.Learn(batch);
        }

        return ValueTask.CompletedTask;
    }
}
