using Medic.Core.Bus;

namespace Medic.Core.Events;

/// <summary>
/// A Kubernetes event (core/v1 Event) about an object, with the labels Medic needs to place it.
/// </summary>
/// <param name="Reason">The event reason: <c>OOMKilled</c>, <c>BackOff</c>, <c>Evicted</c>, ...</param>
/// <param name="Type"><c>Normal</c> or <c>Warning</c>.</param>
/// <param name="ObjectKind">The involved object's kind, e.g. <c>Pod</c>.</param>
/// <param name="ObjectName">The involved object's name.</param>
/// <param name="Namespace">The involved object's namespace.</param>
/// <param name="Message">The event message.</param>
/// <param name="At">When it happened.</param>
public sealed record KubernetesEvent(
    string Reason,
    string Type,
    string ObjectKind,
    string ObjectName,
    string Namespace,
    string Message,
    DateTimeOffset At) : IMessage
{
    /// <summary>The service the involved object belongs to, when known.</summary>
    public string? Service { get; init; }

    /// <summary>The node the involved object runs on, when known.</summary>
    public string? Node { get; init; }

    /// <summary>The workload that owns the involved pod (<c>Deployment/cart</c>), when known.</summary>
    public string? Owner { get; init; }
}
