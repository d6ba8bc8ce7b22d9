using System.Globalization;
using Medic.Core.Rca.Shift;
using nietras.SeparatedValues;

namespace Medic.Rca;

/// <summary>
/// The Nezha fault-injection days, metrics only: per pod one row per minute
/// (<c>&lt;system&gt;/&lt;day&gt;/metric/&lt;pod&gt;_metric.csv</c>) and, where recorded, the call graph
/// (<c>dependency.csv</c>) and each call edge's median latency seen by caller and callee
/// (<c>source_50.csv</c>, <c>destination_50.csv</c>, columns <c>&lt;caller&gt;_&lt;callee&gt;</c>). Rows are
/// aligned on the minute of their <c>Time</c> text, which shares the fault list's clock.
/// </summary>
internal static class NezhaDataset
{
    /// <summary>
    /// Minutes before the injection minute that make the baseline. Faults come 4–9 minutes apart, so
    /// any baseline holds earlier faults; twenty minutes give the median and IQR enough quiet minutes
    /// to see past them (a service that spikes often is not news when it spikes again).
    /// </summary>
    private const int BaselineMinutes = 20;

    /// <summary>Minutes after the injection minute that make the incident window (faults last about 3 minutes).</summary>
    private const int IncidentMinutes = 3;

    /// <summary>
    /// A few dozen per-minute samples of a pod's metrics understate its spread:
    /// floor the spread at 30% of the level so only real moves stand out.
    /// </summary>
    private const double RelativeFloor = 0.3;

    /// <summary>One recorded series: the candidate it speaks for, its name, its value per minute.</summary>
    private sealed record Series(string Candidate, string Metric, Dictionary<string, double> ByMinute);

    public static IReadOnlyList<RcaCase> Load(string folder, Action<string>? progress)
    {
        using var index = Sep.Reader().FromFile(Path.Combine(folder, "cases.csv"));
        var days = new Dictionary<string, (List<Series> Series, List<(string, string)> Calls)>(StringComparer.Ordinal);
        var cases = new List<RcaCase>();
        foreach (var row in index)
        {
            var system = row["system"].ToString();
            var day = Path.Combine(system, row["day"].ToString());
            if (!days.TryGetValue(day, out var recording))
            {
                days[day] = recording = Day(Path.Combine(folder, day, "metric"));
                progress?.Invoke(day);
            }

            var injected = DateTime.ParseExact(row["inject_time"].ToString(), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var baseline = Minutes(injected, -BaselineMinutes, -1);
            var incident = Minutes(injected, 1, IncidentMinutes);
            var metrics = recording.Series
                .Select(s => new MetricWindow(s.Candidate, s.Metric, At(s, baseline), At(s, incident)) { Propagates = !IsResource(s.Metric) })
                .ToList();
            cases.Add(new RcaCase($"{day}/{row["inject_time"].ToString()[11..]}", system, row["fault"].ToString(), row["root_cause_service"].ToString(), new RcaProblem(metrics) { Calls = recording.Calls, RelativeFloor = RelativeFloor }));
        }

        return cases;
    }

    /// <summary>CPU and memory saturate in the pod itself; latency and traffic also carry its callees' trouble.</summary>
    private static bool IsResource(string metric) =>
        metric.StartsWith("Cpu", StringComparison.Ordinal) || metric.StartsWith("Memory", StringComparison.Ordinal);

    private static string[] Minutes(DateTime at, int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(m => at.AddMinutes(m).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))];

    private static double[] At(Series series, string[] minutes) =>
        [.. minutes.Select(m => series.ByMinute.GetValueOrDefault(m, double.NaN))];

    private static (List<Series>, List<(string, string)>) Day(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new InvalidDataException($"{directory} is missing");
        }

        var series = new List<Series>();
        foreach (var file in Directory.GetFiles(directory, "*_metric.csv").Order(StringComparer.Ordinal))
        {
            var pod = Path.GetFileName(file)[..^"_metric.csv".Length];
            // The Node* columns describe the host the pod shares with others, not the pod; its client-side
            // latency describes what it calls, which the call edges already attribute to the callee.
            series.AddRange(Read(file, name => name.StartsWith("Node", StringComparison.Ordinal) || name.StartsWith("PodClient", StringComparison.Ordinal) ? null : ServiceOf(pod)));
        }

        // A call's latency measures its callee (and the network to it).
        foreach (var edges in new[] { "source_50.csv", "destination_50.csv" })
        {
            var path = Path.Combine(directory, edges);
            if (File.Exists(path))
            {
                series.AddRange(Read(path, name => name.Contains('_', StringComparison.Ordinal) ? name[(name.IndexOf('_', StringComparison.Ordinal) + 1)..] : null, Path.GetFileNameWithoutExtension(edges) + " "));
            }
        }

        var calls = new List<(string, string)>();
        var dependencies = Path.Combine(directory, "dependency.csv");
        if (File.Exists(dependencies))
        {
            using var reader = Sep.Reader().FromFile(dependencies);
            calls.AddRange(reader.Enumerate(row => (row["Source"].ToString(), row["Target"].ToString())));
        }

        return (series, calls);
    }

    /// <summary><c>cartservice-579f59597d-wc2lz</c> → <c>cartservice</c>: the pod name without its ReplicaSet and pod suffixes.</summary>
    private static string ServiceOf(string pod)
    {
        var parts = pod.Split('-');
        return parts.Length > 2 ? string.Join('-', parts[..^2]) : pod;
    }

    /// <summary>
    /// Every numeric column of a per-minute file, keyed by the minute of its <c>Time</c> text;
    /// <paramref name="candidateOf"/> names the candidate a column speaks for, or null to skip it.
    /// </summary>
    private static List<Series> Read(string path, Func<string, string?> candidateOf, string prefix = "")
    {
        using var reader = Sep.Reader().FromFile(path);
        var timeColumn = reader.Header.ColNames[0];
        var columns = reader.Header.ColNames.Skip(1)
            .Where(n => n is not ("TimeStamp" or "timestamp" or "PodName" or "ServiceName"))
            .Select(n => (Name: n, Candidate: candidateOf(n)))
            .Where(c => c.Candidate is not null)
            .ToList();
        var byColumn = columns.ToDictionary(c => c.Name, _ => new Dictionary<string, double>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var row in reader)
        {
            var time = row[timeColumn].ToString();
            if (time.Length < 16)
            {
                continue;
            }

            var minute = time[..16];
            foreach (var (name, _) in columns)
            {
                byColumn[name][minute] = RcaCsv.Number(row[name].Span);
            }
        }

        return columns.Select(c => new Series(c.Candidate!, prefix + c.Name, byColumn[c.Name])).ToList();
    }
}
