using Medic.Core.Telemetry;
using Medic.Core.Workflows;

namespace Medic.Core.Verification;

/// <summary>What verification tracks for one run.</summary>
internal sealed class RunWatch(Run run, DateTimeOffset start, DateTimeOffset deadline, (string Kind, string Name)? suspect, string? triggerType)
{
    public Run Run { get; } = run;

    public DateTimeOffset Start { get; } = start;

    public DateTimeOffset Deadline { get; } = deadline;

    public (string Kind, string Name)? Suspect { get; } = suspect;

    public string? TriggerType { get; } = triggerType;

    public Dictionary<SeriesKey, SloCheck> Checks { get; } = [];

    public string? Recurrence { get; set; }
}

/// <summary>One SLO series under watch: its healthy bound and current healthy streak.</summary>
internal sealed class SloCheck(double bound, double worstBefore)
{
    public double Bound { get; } = bound;

    public double WorstBefore { get; } = worstBefore;

    public int Streak { get; private set; }

    public DateTimeOffset? StreakStart { get; private set; }

    public double Last { get; private set; } = double.NaN;

    public void Observe(DateTimeOffset at, double value)
    {
        Last = value;
        if (value <= Bound)
        {
            Streak++;
            StreakStart ??= at;
        }
        else
        {
            Streak = 0;
            StreakStart = null;
        }
    }
}
