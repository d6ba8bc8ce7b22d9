namespace Medic.Core.Workflows;

/// <summary>Where a workflow run stands.</summary>
public enum RunState
{
    /// <summary>Steps are running.</summary>
    Running,

    /// <summary>Every step succeeded or was skipped by its condition.</summary>
    Succeeded,

    /// <summary>A step failed; the steps after it did not run.</summary>
    Failed,

    /// <summary>A safety rail (the kill switch) stopped it before or between steps.</summary>
    Blocked,

    /// <summary>Dry run: the steps were rendered and recorded, nothing was executed.</summary>
    DryRun,

    /// <summary>Cancelled by a person (or an approval withdrawn) while it ran.</summary>
    Cancelled,

    /// <summary>Medic stopped while a step that is not safe to repeat was in flight; handed to people.</summary>
    Interrupted,
}
