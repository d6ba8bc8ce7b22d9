using System.Globalization;
using Medic.Core.Telemetry.Storage;

namespace Medic.Apis;

/// <summary>
/// <c>GET /api/v1/samples?match=SELECTOR[&amp;from=&amp;to=]</c>: the stored samples of the matching
/// series, each as <c>[unix seconds, "value"]</c> with the value as text, as Prometheus' API writes
/// it (so <c>NaN</c> and <c>+Inf</c> come through).
/// </summary>
internal static class SamplesApi
{
    /// <summary>Most series one query returns.</summary>
    public const int MaxSeries = 1_000;

    public static IEndpointRouteBuilder MapSamplesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/samples", Query);
        return app;
    }

    private static IResult Query(string? match, string? from, string? to, SeriesStore store, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(match))
        {
            return Problems.BadRequest("say which series: match=http_requests_total{service=\"cart\"}");
        }

        IReadOnlyList<LabelMatcher> matchers;
        try
        {
            matchers = LabelMatcher.ParseSelector(match);
        }
        catch (FormatException e)
        {
            return Problems.BadRequest(e.Message);
        }

        var now = clock.GetUtcNow();
        if (Time(from, now.AddHours(-1)) is not { } start || Time(to, now) is not { } end)
        {
            return Problems.BadRequest("from and to are times: RFC 3339 (2026-11-26T10:00:00Z) or Unix seconds");
        }

        var series = store.Query(matchers, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), MaxSeries);
        return TypedResults.Ok(new
        {
            series = series.Select(s => new
            {
                name = s.Series.Name,
                labels = s.Series.Labels.ToDictionary(l => l.Key, l => l.Value),
                samples = s.Samples.Select(p => new object[] { p.Timestamp / 1000.0, Text(p.Value) }),
            }),
        });
    }

    private static string Text(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(string? text, DateTimeOffset fallback) =>
        text is null ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : null;
}
