using System.Globalization;
using Medic.Core.Traces;
using Medic.Sim.Cluster;

namespace Medic.Sim;

public sealed partial class Simulator
{
    private const string CacheSystem = "redis", DatabaseSystem = "postgresql", MessagingSystem = "rabbitmq";

    /// <summary>
    /// Traces of a sampled share (<see cref="SimulatorOptions.TraceSampling"/>) of the requests that
    /// entered the estate during the last scrape interval, as its instrumented services would send
    /// them: a server span per service a request reaches, a client span per call, each call's server
    /// span a child of the client span that made it; databases and caches answer client spans with
    /// <c>db.system</c>, the broker's messages go from a producer span to the consumer's span.
    /// Durations and failures come from the estate's state at this scrape.
    /// </summary>
    private List<SpanRecord> Traces(DateTimeOffset now, double entryRps, IReadOnlyList<PodView> pods, Dictionary<string, double> latency, Dictionary<string, double> errors, Dictionary<string, double> ownErrors, Func<string, string> served)
    {
        var spans = new List<SpanRecord>();
        if (_options.TraceSampling <= 0)
        {
            return spans;
        }

        var expected = entryRps * _options.ScrapeInterval.TotalSeconds * _options.TraceSampling;
        var traces = (int)Math.Floor(expected) + (_traceRandom.NextDouble() < expected - Math.Floor(expected) ? 1 : 0);
        for (var i = 0; i < traces; i++)
        {
            var start = now - _options.ScrapeInterval + TimeSpan.FromSeconds(_traceRandom.NextDouble() * _options.ScrapeInterval.TotalSeconds);
            Serve(spans, Hex(16), Estate.EntryService, parentSpanId: "", consumer: false, start, pods, latency, errors, ownErrors, served);
        }

        return spans;
    }

    /// <summary>The server (or consumer) span of a request to <paramref name="service"/>, and the calls it makes; returns whether it failed.</summary>
    private bool Serve(List<SpanRecord> spans, string traceId, string service, string parentSpanId, bool consumer, DateTimeOffset start, IReadOnlyList<PodView> pods, Dictionary<string, double> latency, Dictionary<string, double> errors, Dictionary<string, double> ownErrors, Func<string, string> served)
    {
        var ready = pods.Where(p => p.Service == service && _pods.TryGetValue(p.Name, out var r) && r.Ready).ToList();
        if (ready.Count == 0)
        {
            return true; // Nobody answers: the caller's span times out.
        }

        var pod = ready[_traceRandom.Next(ready.Count)];
        var spanId = Hex(8);
        var duration = Duration(latency[service]);
        // A request fails of the service's own trouble, or because a call it made failed and it passed that on.
        var failed = _traceRandom.NextDouble() < ownErrors[service];
        var offset = TimeSpan.FromTicks(duration.Ticks / 10);
        foreach (var call in Estate.Calls.Where(c => c.From == service))
        {
            var calls = (int)Math.Floor(call.PerRequest) + (_traceRandom.NextDouble() < call.PerRequest - Math.Floor(call.PerRequest) ? 1 : 0);
            for (var n = 0; n < calls; n++)
            {
                var callFailed = Call(spans, traceId, service, spanId, pod, served(call.To), start + offset, pods, latency, errors, ownErrors, served);
                failed |= callFailed && _traceRandom.NextDouble() < CalleeFailureSpread;
            }
        }

        if (service == ExternalCaller)
        {
            // The third party answers without spans of its own: its caller's client span is all there is.
            var external = Span(traceId, Hex(8), spanId, service, "client", $"call {Provider(service)}", start + offset, Duration(ProviderLatencySeconds), _traceRandom.NextDouble() < ProviderErrors(service, start), pod);
            failed |= external.Error && _traceRandom.NextDouble() < CalleeFailureSpread;
            spans.Add(external with { Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["peer.service"] = Provider(service), ["server.address"] = $"api.{Provider(service)}.example" } });
        }

        spans.Add(Span(traceId, spanId, parentSpanId, service, consumer ? "consumer" : "server", $"{(consumer ? "process" : "GET")} /api/{service}", start, duration, failed, pod));
        return failed;
    }

    /// <summary>A client (or producer) span of <paramref name="caller"/> calling <paramref name="callee"/>, and what it reaches; returns whether the call failed.</summary>
    private bool Call(List<SpanRecord> spans, string traceId, string caller, string parentSpanId, PodView pod, string callee, DateTimeOffset start, IReadOnlyList<PodView> pods, Dictionary<string, double> latency, Dictionary<string, double> errors, Dictionary<string, double> ownErrors, Func<string, string> served)
    {
        var spec = Estate.Service(callee);
        var spanId = Hex(8);
        var duration = Duration(latency[callee]);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        string kind;
        bool failed;
        if (spec.Stateful && Estate.Calls.Any(c => c.From == callee))
        {
            // A broker: the message is put on its queue and its consumers take it later.
            (kind, attributes["messaging.system"], attributes["messaging.destination.name"]) = ("producer", MessagingSystem, $"{callee}.orders");
            duration = TimeSpan.FromMilliseconds(2);
            failed = _traceRandom.NextDouble() < errors[callee] * 0.1;
            foreach (var consumerCall in Estate.Calls.Where(c => c.From == callee))
            {
                Serve(spans, traceId, served(consumerCall.To), spanId, consumer: true, start + TimeSpan.FromSeconds(1), pods, latency, errors, ownErrors, served);
            }
        }
        else if (spec.Stateful)
        {
            (kind, attributes["db.system"], attributes["db.name"]) = ("client", spec.Tier == CacheTier ? CacheSystem : DatabaseSystem, callee);
            failed = _traceRandom.NextDouble() < errors[callee];
        }
        else
        {
            (kind, attributes["peer.service"]) = ("client", callee);
            failed = Serve(spans, traceId, callee, spanId, consumer: false, start + TimeSpan.FromMilliseconds(1), pods, latency, errors, ownErrors, served);
            duration += TimeSpan.FromMilliseconds(2);
        }

        spans.Add(Span(traceId, spanId, parentSpanId, caller, kind, $"{(kind == "producer" ? "publish" : "call")} {callee}", start, duration, failed, pod) with { Attributes = attributes });
        return failed;
    }

    private SpanRecord Span(string traceId, string spanId, string parentSpanId, string service, string kind, string name, DateTimeOffset start, TimeSpan duration, bool error, PodView pod)
    {
        var spec = Estate.Service(service);
        var resource = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pod"] = pod.Name,
            ["node"] = pod.Node,
            ["namespace"] = Estate.Namespace,
            ["zone"] = Estate.Nodes.First(n => n.Name == pod.Node).Zone,
            ["version"] = pod.Image[(pod.Image.LastIndexOf(':') + 1)..],
        };
        if (spec.Stateful)
        {
            resource["statefulset"] = service;
        }
        else
        {
            (resource["replicaset"], resource["deployment"]) = (pod.Name[..pod.Name.LastIndexOf('-')], service);
        }

        return new SpanRecord(traceId, spanId, parentSpanId, service, name, kind, start, start + duration, error) { Resource = resource };
    }

    /// <summary>One request's duration from the service's p99: mostly near the median, now and then near the tail.</summary>
    private TimeSpan Duration(double p99Seconds) =>
        TimeSpan.FromSeconds(p99Seconds * MedianShare * Math.Exp(0.4 * Telemetry.Gaussian.Next(_traceRandom)));

    private string Hex(int bytes) => Hex(_traceRandom, bytes);

    private static string Hex(Random random, int bytes) => string.Concat(Enumerable.Range(0, bytes).Select(_ => random.Next(256).ToString("x2", CultureInfo.InvariantCulture)));
}
