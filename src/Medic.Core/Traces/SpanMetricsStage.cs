using Medic.Core.Bus;
using Medic.Core.Stages;
using Medic.Core.Telemetry;

namespace Medic.Core.Traces;

/// <summary>
/// RED metrics from spans: every <see cref="Window"/> of span time, each service's request rate,
/// error ratio and p99 latency from the spans of the requests it serves (server and consumer
/// spans), published as samples (<c>span_request_rate</c>, <c>span_error_ratio</c>,
/// <c>span_latency_p99_seconds</c>, from windows of at least <see cref="MinSpans"/> spans) for
/// detection like any other series. A service that was busy lately and now sends nothing reports
/// a rate of zero, for silence is news too.
/// </summary>
public sealed class SpanMetricsStage(IBus bus) : ITimedStage
{
    /// <summary>The span of time one sample sums up.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    /// <summary>How long after a window ends its late spans are still counted.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Spans a window needs before its figures mean anything: a p99 of fewer than a hundred requests
    /// is their maximum, one failure in thirty is not a 3% error rate, and two requests or three in
    /// a window is no rate to judge. Sparser windows are not reported.
    /// </summary>
    public const int MinSpans = 100;

    /// <summary>How long a service that went quiet keeps reporting a zero rate.</summary>
    public static readonly TimeSpan QuietReport = TimeSpan.FromMinutes(10);

    private readonly Dictionary<(string Service, string? Namespace, long Window), Bucket> _open = [];
    private readonly Dictionary<(string Service, string? Namespace), long> _lastWindow = [];
    private long _flushedUpTo = long.MinValue;
    private DateTimeOffset _newest;

    /// <summary>Spans that arrived after their window was published, and were left out.</summary>
    public long Late { get; private set; }

    /// <inheritdoc />
    public string Name => "span-metrics";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(SpanBatch)];

    /// <inheritdoc />
    public TimeSpan TickInterval => TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is SpanBatch batch)
        {
            foreach (var span in batch.Spans.Where(s => s.Kind is "server" or "consumer"))
            {
                var window = span.End.UtcTicks / Window.Ticks;
                if (window <= _flushedUpTo)
                {
                    Late++;
                    continue;
                }

                var key = (span.Service, span.Resource.GetValueOrDefault("namespace"), window);
                if (!_open.TryGetValue(key, out var bucket))
                {
                    _open[key] = bucket = new Bucket();
                }

                bucket.Add(span);
                _newest = span.End > _newest ? span.End : _newest;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Windows close by span time, or by the clock when spans stop coming.
        var horizon = ((_newest > now ? _newest : now) - Grace).UtcTicks / Window.Ticks;
        var first = _flushedUpTo == long.MinValue ? (_open.Count == 0 ? horizon : _open.Keys.Min(k => k.Window)) : Math.Max(_flushedUpTo + 1, horizon - (QuietReport.Ticks / Window.Ticks));
        var closing = Enumerable.Range(0, (int)Math.Max(0, horizon - first)).Select(i => first + i)
            .Where(w => _lastWindow.Count > 0 || _open.Keys.Any(k => k.Window == w))
            .ToList();
        foreach (var stale in _open.Keys.Where(k => k.Window < first).ToList())
        {
            _open.Remove(stale); // Windows older than anything still reported: too late to matter.
        }

        var samples = new List<Sample>();
        foreach (var window in closing)
        {
            var at = new DateTimeOffset((window + 1) * Window.Ticks, TimeSpan.Zero);
            foreach (var ((service, ns, _), bucket) in _open.Where(o => o.Key.Window == window).ToList())
            {
                _open.Remove((service, ns, window));
                if (bucket.Count >= MinSpans)
                {
                    _lastWindow[(service, ns)] = window;
                    samples.Add(new Sample(Key("span_request_rate", service, ns), at, bucket.Count / Window.TotalSeconds));
                    samples.Add(new Sample(Key("span_error_ratio", service, ns), at, (double)bucket.Errors / bucket.Count));
                    samples.Add(new Sample(Key("span_latency_p99_seconds", service, ns), at, bucket.Latency.Quantile(0.99)!.Value));
                }
                else if (_lastWindow.ContainsKey((service, ns)))
                {
                    // Busy until lately: its traffic falling off is news, its few requests' figures are not.
                    samples.Add(new Sample(Key("span_request_rate", service, ns), at, bucket.Count / Window.TotalSeconds));
                }
            }

            foreach (var ((service, ns), last) in _lastWindow.Where(l => l.Value < window && !_open.ContainsKey((l.Key.Service, l.Key.Namespace, window))).ToList())
            {
                if (window - last > QuietReport.Ticks / Window.Ticks)
                {
                    _lastWindow.Remove((service, ns));
                }
                else
                {
                    samples.Add(new Sample(Key("span_request_rate", service, ns), at, 0));
                }
            }

            _flushedUpTo = Math.Max(_flushedUpTo, window);
        }

        if (samples.Count > 0)
        {
            await bus.PublishAsync(new SampleBatch(samples), cancellationToken);
        }
    }

    private static SeriesKey Key(string name, string service, string? ns) =>
        ns is null ? SeriesKey.Of(name, Labels.Service, service) : SeriesKey.Of(name, Labels.Namespace, ns, Labels.Service, service);

    private sealed class Bucket
    {
        public long Count { get; private set; }

        public long Errors { get; private set; }

        public LatencyHistogram Latency { get; } = new();

        public void Add(SpanRecord span)
        {
            Count++;
            Errors += span.Error ? 1 : 0;
            Latency.Add(span.Duration);
        }
    }
}
