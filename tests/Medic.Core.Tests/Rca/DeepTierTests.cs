using Medic.Core.Rca;
using Medic.Core.Telemetry;
using Medic.Core.Tests.Support;

namespace Medic.Core.Tests.Rca;

public sealed class DeepTierTests
{
    [Fact]
    public void Learns_from_recent_series_that_the_database_drives_the_services_that_call_it()
    {
        // frontend → api → db, and an unrelated search. Each caller's latency follows its callee's
        // (plus its own noise); at onset the database slows down and the slowness travels up.
        var topology = Some.Topology([("frontend", "api"), ("api", "db")], []);
        var options = new DiagnosisOptions();
        var recent = new RecentSamples(options.DeepMetrics, TimeSpan.FromHours(1));
        var random = new Random(3);
        var onset = Some.Start.AddMinutes(30);
        var samples = new List<Sample>();
        for (var at = Some.Start; at < onset.AddMinutes(5); at += options.DeepStep)
        {
            var db = 0.02 + (0.004 * random.NextDouble()) + (at >= onset ? 0.2 : 0);
            var api = 0.01 + db + (0.004 * random.NextDouble());
            var frontend = 0.01 + api + (0.004 * random.NextDouble());
            var search = 0.03 + (0.004 * random.NextDouble());
            foreach (var (service, value) in new[] { ("db", db), ("api", api), ("frontend", frontend), ("search", search) })
            {
                samples.Add(new Sample(SeriesKey.Of("service_latency_p99_seconds", "service", service), at, value));
            }
        }

        recent.Record(new SampleBatch(samples));

        var problem = DeepTier.Problem(recent, topology, onset, onset.AddMinutes(5), options);
        var verdict = DeepTier.Rank(problem, onset - options.DeepLookback, onset.AddMinutes(5));

        Assert.Equal(4, problem.Metrics.Count);
        Assert.Contains(("service/api", "service/db"), problem.Calls);
        Assert.Equal("service/db", verdict.Ranked[0]);
        Assert.Equal(4, verdict.Variables);
    }
}
