using Medic.Core.Playbooks;

namespace Medic.Core.Policy;

/// <summary>Everything the policy looks at for one decision.</summary>
/// <param name="Playbook">The matched playbook.</param>
/// <param name="Target">What it acts on.</param>
/// <param name="Confidence">The diagnosis confidence.</param>
/// <param name="KillSwitch">The global kill switch.</param>
/// <param name="PlaybookKillSwitch">The playbook's own kill switch.</param>
/// <param name="Activity">What Medic is already doing.</param>
public sealed record PolicyInput(Playbook Playbook, PolicyTarget Target, double Confidence, KillSwitchState KillSwitch, KillSwitchState PlaybookKillSwitch, PolicyActivity Activity)
{
    /// <summary>The person who asked for this run, when a person did; they may not approve it.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The target workload's replica count, when known (for the replica-share rail).</summary>
    public int? Replicas { get; init; }

    /// <summary>The rendered parameters of each step that can be known before the run (for the replica-share rail).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> StepParams { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, object?>>();
}
