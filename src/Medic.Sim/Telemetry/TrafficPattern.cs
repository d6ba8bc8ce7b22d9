namespace Medic.Sim.Telemetry;

/// <summary>How busy the estate is at a time of day and week: low at night, peak mid-afternoon, quieter at weekends.</summary>
internal static class TrafficPattern
{
    /// <summary>The hour of the day's peak, by default.</summary>
    public const double PeakHour = 15;

    /// <summary>The fraction of peak traffic at <paramref name="at"/>, in (0, 1], for a day that peaks at <paramref name="peakHour"/>.</summary>
    public static double Level(DateTimeOffset at, double peakHour = PeakHour)
    {
        var hour = at.UtcDateTime.TimeOfDay.TotalHours;
        var daily = 0.6 + (0.4 * Math.Cos(2 * Math.PI * (hour - peakHour) / 24));
        var weekly = at.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.8 : 1.0;
        return daily * weekly;
    }
}
