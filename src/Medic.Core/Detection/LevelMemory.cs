namespace Medic.Core.Detection;

/// <summary>
/// The levels a series held while it was normal over the last hour, one per five minutes (the
/// baseline's median and band then), to tell a recovery from an anomaly: a baseline learns an
/// abnormal level that lasts, or a slow drift, and then the way back looks like news. A value
/// back inside a level held five to sixty minutes ago is a return. Levels are not recorded while
/// the series is away from its normal, so that a problem coming back is not taken for one.
/// </summary>
internal sealed class LevelMemory
{
    private const int Slots = 12;
    private static readonly long SlotTicks = TimeSpan.FromMinutes(5).Ticks;

    private readonly float[] _median = new float[Slots];
    private readonly float[] _band = new float[Slots];
    private readonly long[] _slot = new long[Slots];

    /// <summary>When (UTC ticks) the series left its normal for a level it has not come back from; 0 when it is home.</summary>
    public long AwaySince { get; private set; }

    /// <summary>Records the baseline at <paramref name="atTicks"/>, unless the series is away from its normal.</summary>
    public void Record(long atTicks, double median, double band)
    {
        if (AwaySince != 0 && atTicks - AwaySince > RobustZScoreDetector.RecoveryMemory.Ticks)
        {
            AwaySince = 0; // Away this long, the new level is the normal.
        }

        if (AwaySince == 0)
        {
            var slot = atTicks / SlotTicks;
            var i = (int)(slot % Slots);
            (_median[i], _band[i], _slot[i]) = ((float)median, (float)band, slot + 1);
        }
    }

    /// <summary>
    /// Judges an anomaly opening at <paramref name="value"/>: true when it is a return to a level
    /// held 5 to 60 minutes ago (the series is home again); otherwise the series is away.
    /// </summary>
    public bool IsReturn(long atTicks, double value)
    {
        var now = atTicks / SlotTicks;
        for (var i = 0; i < Slots; i++)
        {
            var age = now - (_slot[i] - 1);
            if (_slot[i] != 0 && age >= 1 && age < Slots && Math.Abs(value - _median[i]) <= _band[i])
            {
                AwaySince = 0;
                return true;
            }
        }

        AwaySince = AwaySince == 0 ? atTicks : AwaySince;
        return false;
    }

    /// <summary>Writes the memory exactly.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(AwaySince);
        for (var i = 0; i < Slots; i++)
        {
            writer.Write(_median[i]);
            writer.Write(_band[i]);
            writer.Write(_slot[i]);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public void Restore(BinaryReader reader)
    {
        AwaySince = reader.ReadInt64();
        for (var i = 0; i < Slots; i++)
        {
            (_median[i], _band[i], _slot[i]) = (reader.ReadSingle(), reader.ReadSingle(), reader.ReadInt64());
        }
    }
}
