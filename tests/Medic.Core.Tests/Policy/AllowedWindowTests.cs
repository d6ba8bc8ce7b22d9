using Medic.Core.Policy;

namespace Medic.Core.Tests.Policy;

public sealed class AllowedWindowTests
{
    private static readonly AllowedWindow BerlinBusinessHours = new() { TimeZone = "Europe/Berlin" };
    private static readonly AllowedWindow NewYorkBusinessHours = new() { TimeZone = "America/New_York" };
    private static readonly AllowedWindow NightShift = new() { TimeZone = "Europe/Berlin", From = new(22, 0), To = new(6, 0), Days = [DayOfWeek.Monday] };

    [Theory]
    // Berlin is UTC+1 in winter and UTC+2 in summer; DST starts 2026-03-29 and ends 2026-10-25.
    [InlineData("2026-03-27T07:30:00Z", false)] // Fri 08:30 CET: before opening
    [InlineData("2026-03-27T08:30:00Z", true)]  // Fri 09:30 CET
    [InlineData("2026-03-30T07:30:00Z", true)]  // Mon 09:30 CEST: same UTC hour as above, now inside
    [InlineData("2026-03-30T16:30:00Z", false)] // Mon 18:30 CEST: closed
    [InlineData("2026-03-30T15:59:59Z", true)]  // Mon 17:59:59 CEST
    [InlineData("2026-10-26T08:00:00Z", true)]  // Mon 09:00 CET after DST ends: opens exactly
    [InlineData("2026-10-26T07:59:00Z", false)] // Mon 08:59 CET
    [InlineData("2026-03-28T10:00:00Z", false)] // Saturday
    public void Berlin_business_hours_follow_local_time_across_DST(string utc, bool inside) =>
        Assert.Equal(inside, BerlinBusinessHours.Contains(Parse(utc)));

    [Theory]
    // New York switches on 2026-03-08, three weeks before Berlin: 13:30 UTC is 09:30 EDT but 08:30 EST.
    [InlineData("2026-03-06T13:30:00Z", false)]
    [InlineData("2026-03-09T13:30:00Z", true)]
    [InlineData("2026-11-02T13:30:00Z", false)] // after DST ends (Nov 1): 08:30 EST
    [InlineData("2026-11-02T14:00:00Z", true)]
    public void New_York_business_hours_follow_their_own_DST_dates(string utc, bool inside) =>
        Assert.Equal(inside, NewYorkBusinessHours.Contains(Parse(utc)));

    [Theory]
    [InlineData("2026-11-23T21:30:00Z", true)]  // Mon 22:30 CET
    [InlineData("2026-11-24T04:30:00Z", true)]  // Tue 05:30 CET, the Monday window's morning
    [InlineData("2026-11-24T05:30:00Z", false)] // Tue 06:30 CET
    [InlineData("2026-11-24T21:30:00Z", false)] // Tue 22:30: the window opens on Mondays only
    public void A_window_may_cross_midnight(string utc, bool inside) =>
        Assert.Equal(inside, NightShift.Contains(Parse(utc)));

    [Fact]
    public void Holidays_close_the_window() =>
        Assert.False((BerlinBusinessHours with { Holidays = [new DateOnly(2026, 12, 24)] }).Contains(Parse("2026-12-24T10:00:00Z")));

    private static DateTimeOffset Parse(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);
}
