namespace Medic.Core.Workflows;

/// <summary>Where one step of a run stands.</summary>
public enum StepState
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Started; its provider was called.</summary>
    Running,

    /// <summary>Done.</summary>
    Succeeded,

    /// <summary>The provider failed, or the parameters did not render.</summary>
    Failed,

    /// <summary>Its condition did not hold.</summary>
    Skipped,

    /// <summary>Not run (or stopped) because the run stopped first.</summary>
    Cancelled,

    /// <summary>In flight when Medic stopped, and not safe to repeat: whether it acted is unknown.</summary>
    Interrupted,
}
