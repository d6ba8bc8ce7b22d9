using Medic.Core.Changes;
using Medic.Core.Signals;
using Medic.Core.Traces;

namespace Medic.Core.Rca;

/// <summary>Evidence gathered for one candidate root cause while ranking.</summary>
internal sealed class Candidate(string kind, string name)
{
    public string Kind { get; } = kind;

    public string Name { get; } = name;

    public List<Signal> Signals { get; } = [];

    public List<string> Evidence { get; } = [];

    public string FaultKind { get; set; } = "unknown";

    /// <summary>The deploy or configuration change to it shortly before the incident, if any.</summary>
    public ChangeEvent? Change { get; set; }

    /// <summary>Where the incident's failed requests start, when that is this candidate.</summary>
    public ErrorOrigin? ErrorOrigin { get; set; }

    /// <summary>The anomalous neighbours it explains (callers, or services on a node).</summary>
    public List<string> Explains { get; } = [];

    public double Score { get; set; }

    public bool IsService => Kind == EntityKinds.Service;

    public Entity ToEntity() => new(Kind, Name)
    {
        Service = IsService ? Name : null,
        Namespace = Signals.Select(s => s.Entity.Namespace).FirstOrDefault(n => n is not null),
        Node = Kind == EntityKinds.Node ? Name : null,
    };
}
