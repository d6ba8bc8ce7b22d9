using System.Globalization;
using Medic.Core.Logs;
using Medic.Sim.Cluster;

namespace Medic.Sim;

public sealed partial class Simulator
{
    /// <summary>What a service does, for its access lines: a resource of each service's own.</summary>
    private static readonly string[] Resources = ["items", "orders", "sessions", "quotes", "profiles", "search"];

    /// <summary>
    /// Log lines as the estate's services write them, a sampled share
    /// (<see cref="SimulatorOptions.LogSampling"/>) of one line a request, error lines twenty times as
    /// often: access lines and the odd routine line while all is well; for a failed request, an error
    /// line that says why (its own
    /// trouble — a bad version's exception, an expired certificate, a full disk, an exhausted pool —
    /// or a failed call to a callee); warnings of slow requests, retries, a missing cache, a heap
    /// near its limit. Variable fields (ids, durations, addresses) change line to line.
    /// </summary>
    private List<LogRecord> Logs(DateTimeOffset now, IReadOnlyList<PodView> pods, Dictionary<string, double> rps, Dictionary<string, double> latency, Dictionary<string, double> errors, Dictionary<string, double> ownErrors, Func<string, string> served)
    {
        var records = new List<LogRecord>();
        if (_options.LogSampling <= 0)
        {
            return records;
        }

        foreach (var service in Estate.Services)
        {
            var callees = Estate.Calls.Where(c => c.From == service.Name).Select(c => served(c.To)).Distinct(StringComparer.Ordinal).ToList();
            var normal = _normalLatency.GetValueOrDefault(service.Name, service.LatencySeconds);
            var requests = rps[service.Name] * _options.ScrapeInterval.TotalSeconds;
            // Error lines are kept more often than the rest, as log pipelines do, so even a service's
            // trickle of background errors is familiar before anything goes wrong.
            var failed = Draw(requests * errors[service.Name] * Math.Min(1, ErrorLogBoost * _options.LogSampling));
            for (var i = 0; i < failed; i++)
            {
                var message = _logRandom.NextDouble() * errors[service.Name] < ownErrors[service.Name] || callees.Count == 0
                    ? OwnFailure(service.Name, pods, now)
                    : CalleeFailure(callees.MaxBy(c => errors[c])!);
                records.Add(Line(service.Name, now, "ERROR", message));
            }

            var succeeded = Draw(requests * (1 - errors[service.Name]) * _options.LogSampling);
            for (var i = 0; i < succeeded; i++)
            {
                var (level, message) = latency[service.Name] > 3 * normal && _logRandom.NextDouble() < 0.5
                    ? ("WARN", F($"slow request GET /api/{service.Name}/{Resource(service.Name)} took {latency[service.Name] * 1000 * (0.8 + (0.4 * _logRandom.NextDouble())):0} ms (threshold {normal * 3000:0} ms)"))
                    : Routine(service.Name, callees, pods);
                records.Add(Line(service.Name, now, level, message));
            }
        }

        return [.. records.OrderBy(r => r.At)];
    }

    /// <summary>How many times more often an error line is kept than another line.</summary>
    private const double ErrorLogBoost = 20;

    /// <summary>A whole number of events with <paramref name="expected"/> as its mean: the fraction decides one more.</summary>
    private int Draw(double expected) => (int)Math.Floor(expected) + (_logRandom.NextDouble() < expected - Math.Floor(expected) ? 1 : 0);

    private LogRecord Line(string service, DateTimeOffset now, string level, string message) =>
        new(now - (_options.ScrapeInterval * _logRandom.NextDouble()), service, message) { Level = level, Namespace = Estate.Namespace };

    /// <summary>Why a request failed of the service's own trouble, in the words its code or runtime would use.</summary>
    private string OwnFailure(string service, IReadOnlyList<PodView> pods, DateTimeOffset now)
    {
        var mine = pods.Where(p => p.Service == service).ToList();
        var id = Hex(_logRandom, 8);
        if (_expiredCertificates.Contains(service))
        {
            return F($"TLS handshake error from 10.0.{_logRandom.Next(256)}.{_logRandom.Next(256)}:{_logRandom.Next(30_000, 60_000)}: x509: certificate has expired or is not yet valid: current time {now:yyyy-MM-ddTHH:mm:ssZ} is after {now.Date.AddDays(-1):yyyy-MM-ddTHH:mm:ssZ}");
        }

        if (_volumeUsage.GetValueOrDefault(service) >= 0.98)
        {
            return F($"could not extend file \"base/{_logRandom.Next(16_000, 17_000)}/{_logRandom.Next(10_000, 99_999)}\": No space left on device");
        }

        if (_outages.TryGetValue(service, out var until) && now < until)
        {
            return F($"{Provider(service)} returned 503 Service Unavailable for request {id} (attempt {_logRandom.Next(1, 4)} of 3)");
        }

        if (mine.Any(p => _exhaustedPools.GetValueOrDefault(p.Name) > PoolScrapes))
        {
            return F($"HikariPool-1 - Connection is not available, request timed out after {_logRandom.Next(29_990, 30_010)}ms.");
        }

        if (mine.Any(p => _badImages.ContainsKey(p.Image)))
        {
            var handler = char.ToUpperInvariant(service[0]) + service[1..].Replace("-", "", StringComparison.Ordinal);
            return F($"Unhandled exception in request {id}: java.lang.NullPointerException: Cannot invoke \"{handler}Item.getPrice()\" because \"item\" is null at com.shop.{service.Replace("-", "", StringComparison.Ordinal)}.{handler}Handler.handle({handler}Handler.java:{_logRandom.Next(40, 60)})");
        }

        if (_splitBrain.TryGetValue(service, out var back) && now < back)
        {
            return "cluster has no quorum: refusing writes until a majority of members is reachable";
        }

        return _packetLossUntil > now
            ? F($"upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection timeout (request {id})")
            : F($"request {id} failed: internal server error");
    }

    private string CalleeFailure(string callee) => F($"call to {callee} failed for request {Hex(_logRandom, 8)}: {(_logRandom.Next(2) == 0 ? "503 Service Unavailable" : "500 Internal Server Error")}");

    /// <summary>What a service writes while its requests succeed: access lines, and what its neighbours' trouble looks like from here.</summary>
    private (string Level, string Message) Routine(string service, List<string> callees, IReadOnlyList<PodView> pods)
    {
        var down = Estate.Calls.Where(c => c.From == service && Estate.Service(c.To).Tier == CacheTier && !pods.Any(p => p.Service == c.To && _pods[p.Name].Ready)).Select(c => c.To).FirstOrDefault();
        if (down is not null && _logRandom.NextDouble() < 0.5)
        {
            return ("WARN", F($"{down}: dial tcp 10.96.{_logRandom.Next(256)}.{_logRandom.Next(256)}:6379: connect: connection refused; reading through to the database"));
        }

        var retried = callees.FirstOrDefault(c => _retries.GetValueOrDefault(c, 1.0) > 1.0);
        if (retried is not null && _logRandom.NextDouble() < 0.5)
        {
            return ("WARN", F($"call to {retried} timed out after {_logRandom.Next(900, 1100)} ms; retrying (attempt {_logRandom.Next(2, 5)} of 4)"));
        }

        var pod = pods.Where(p => p.Service == service).OrderByDescending(p => _pods.TryGetValue(p.Name, out var r) ? r.LeakedBytes : 0).FirstOrDefault();
        if (pod is not null && _pods.TryGetValue(pod.Name, out var runtime) && PodBaseMemoryBytes + runtime.LeakedBytes > 0.85 * SimCluster.MemoryLimitBytes && _logRandom.NextDouble() < 0.3)
        {
            return ("WARN", F($"GC overhead: heap at {100 * (PodBaseMemoryBytes + runtime.LeakedBytes) / SimCluster.MemoryLimitBytes:0}% of {SimCluster.MemoryLimitBytes >> 20} MiB after full collection ({_logRandom.Next(200, 900)} ms pause)"));
        }

        if (_lockedPods.Overlaps(pods.Where(p => p.Service == service).Select(p => p.Name)) && _logRandom.NextDouble() < 0.5)
        {
            return ("WARN", F($"process {_logRandom.Next(1_000, 60_000)} still waiting for ShareLock on transaction {_logRandom.Next(100_000, 999_999)} after {_logRandom.Next(1_000, 5_000)}.{_logRandom.Next(100, 999)} ms"));
        }

        return _logRandom.Next(10) == 0
            ? ("INFO", F($"health check passed in {_logRandom.Next(1, 9)} ms"))
            : ("INFO", F($"GET /api/{service}/{Resource(service)}/{_logRandom.Next(1, 100_000)} 200 {_logRandom.Next(2, 80)}ms request_id={Hex(_logRandom, 8)}"));
    }

    /// <summary>The service's resource: the same in every run (string hash codes are not).</summary>
    private static string Resource(string service) => Resources[service.Sum(c => c) % Resources.Length];

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
