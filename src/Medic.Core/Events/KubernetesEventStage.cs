using Medic.Core.Bus;
using Medic.Core.Signals;
using Medic.Core.Stages;

namespace Medic.Core.Events;

/// <summary>
/// Turns the Kubernetes events that mean trouble into signals. Events are facts reported by the
/// cluster, so their signals carry full confidence.
/// </summary>
public sealed class KubernetesEventStage(IBus bus) : IStage
{
    /// <summary>Event reason to signal type. Reasons not listed are not signals.</summary>
    public static IReadOnlyDictionary<string, string> SignalTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OOMKilled"] = "PodOOMKilled",
        ["OOMKilling"] = "PodOOMKilled",
        ["BackOff"] = "PodCrashLooping",
        ["Evicted"] = "PodEvicted",
        ["FailedScheduling"] = "PodUnschedulable",
        ["NodeNotReady"] = "NodeNotReady",
        ["ImagePullBackOff"] = "PodImagePullFailing",
        ["ErrImagePull"] = "PodImagePullFailing",
        ["CreateContainerConfigError"] = "PodConfigError",
    };

    /// <inheritdoc />
    public string Name => "kubernetes-events";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(KubernetesEvent)];

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is KubernetesEvent e && SignalTypes.TryGetValue(e.Reason, out var type))
        {
            await bus.PublishAsync(ToSignal(e, type), cancellationToken);
        }
    }

    private static Signal ToSignal(KubernetesEvent e, string type)
    {
        var isPod = string.Equals(e.ObjectKind, "Pod", StringComparison.Ordinal);
        var isNode = string.Equals(e.ObjectKind, "Node", StringComparison.Ordinal);
        var entity = new Entity(isPod ? EntityKinds.Pod : isNode ? EntityKinds.Node : e.ObjectKind.ToLowerInvariant(), e.ObjectName)
        {
            Service = e.Service,
            Namespace = e.Namespace,
            Pod = isPod ? e.ObjectName : null,
            Node = isNode ? e.ObjectName : e.Node,
            Owner = e.Owner,
        };
        return new Signal
        {
            Id = Guid.CreateVersion7().ToString("n"),
            Source = SignalSources.Kubernetes,
            Type = type,
            Entity = entity,
            Score = 0.9,
            Confidence = 1.0,
            ObservedAt = e.At,
            Summary = $"{e.ObjectKind} {e.Namespace}/{e.ObjectName}: {e.Reason}: {e.Message}",
        };
    }
}
