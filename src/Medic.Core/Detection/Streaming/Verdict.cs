namespace Medic.Core.Detection.Streaming;

/// <summary>What happened to a signal with one value.</summary>
public enum SignalChange : byte
{
    /// <summary>Nothing: normal, or still abnormal, or still warming up.</summary>
    None,

    /// <summary>The series has been abnormal long enough: a signal opens at <see cref="Verdict.Onset"/>.</summary>
    Opened,

    /// <summary>The series has been normal long enough: the open signal closes.</summary>
    Closed,
}

/// <summary>
/// The judgement of one value: its score in [0,1], how much to trust it, the expected value and
/// band the model gave, and whether a signal opened or closed. A value type, so judging allocates nothing.
/// </summary>
/// <param name="Score">How abnormal the value is: 0 as expected, 0.5 at the band's edge, toward 1 far outside it.</param>
/// <param name="Confidence">How well the model knows the series yet, 0 to 1.</param>
/// <param name="Expected">The model's forecast for this value.</param>
/// <param name="Lower">The band's lower edge.</param>
/// <param name="Upper">The band's upper edge.</param>
/// <param name="Change">Whether a signal opened or closed.</param>
/// <param name="Onset">For an opened signal, how many values ago the abnormal run began (0: this one).</param>
/// <param name="OnsetAt">For an opened signal, the timestamp of the run's first value; else this value's.</param>
public readonly record struct Verdict(double Score, double Confidence, double Expected, double Lower, double Upper, SignalChange Change, int Onset, long OnsetAt)
{
    /// <summary>Above the band (+1), below it (-1), or within (0).</summary>
    public int Direction(double value) => value > Upper ? 1 : value < Lower ? -1 : 0;
}
