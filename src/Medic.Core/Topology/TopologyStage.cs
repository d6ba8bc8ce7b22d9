using Medic.Core.Bus;
using Medic.Core.Events;
using Medic.Core.Stages;
using Medic.Core.Telemetry;
using Medic.Core.Traces;

namespace Medic.Core.Topology;

/// <summary>Graph: keeps the topology up to date from the labels of incoming samples, from spans and from Kubernetes events.</summary>
public sealed class TopologyStage(LearnedTopology topology, ServiceGraph graph) : IStage
{
    /// <inheritdoc />
    public string Name => "topology";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(SampleBatch), typeof(SpanBatch), typeof(KubernetesEvent)];

    /// <inheritdoc />
    public ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case SampleBatch batch:
                topology.Learn(batch);
                break;
            case SpanBatch spans:
                graph.Learn(spans.Spans);
                break;
            case KubernetesEvent e:
                graph.Learn(e);
                break;
        }

        return ValueTask.CompletedTask;
    }
}
