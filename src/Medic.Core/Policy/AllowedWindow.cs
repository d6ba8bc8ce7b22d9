namespace Medic.Core.Policy;

/// <summary>
/// A recurring stretch of time in which L2 playbooks may act, in a named time zone: days of the
/// week and a time of day range (which may cross midnight), minus holidays. Daylight-saving
/// changes are handled by the time zone: 09:00 is 09:00 local time in summer and in winter.
/// </summary>
public sealed record AllowedWindow
{
    /// <summary>An IANA time zone id, e.g. <c>Europe/Berlin</c>. Default UTC.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The days the window opens (the day it starts, for windows crossing midnight). Default Monday to Friday.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>Local time the window opens. Default 09:00.</summary>
    public TimeOnly From { get; init; } = new(9, 0);

    /// <summary>Local time the window closes (exclusive); earlier than <see cref="From"/> crosses midnight. Default 18:00.</summary>
    public TimeOnly To { get; init; } = new(18, 0);

    /// <summary>Local dates on which the window does not open.</summary>
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    /// <summary>Whether <paramref name="at"/> falls inside the window.</summary>
    public bool Contains(DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var date = DateOnly.FromDateTime(local.DateTime);
        if (From <= To)
        {
            return time >= From && time < To && Opens(date);
        }

        // Crosses midnight: after From on an opening day, or before To on the day after one.
        return (time >= From && Opens(date)) || (time < To && Opens(date.AddDays(-1)));
    }

    /// <summary>A short description: <c>Mon-Fri 09:00-18:00 Europe/Berlin</c>.</summary>
    public override string ToString() =>
        $"{string.Join(",", Days.Select(d => d.ToString()[..3]))} {From:HH\\:mm}-{To:HH\\:mm} {TimeZone}";

    private bool Opens(DateOnly date) => Days.Contains(date.DayOfWeek) && !Holidays.Contains(date);
}
