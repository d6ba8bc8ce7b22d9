using Medic.Core.Rca.Shift;
using nietras.SeparatedValues;

namespace Medic.Rca;

/// <summary>
/// The PetShop issues: per scenario a call graph (<c>graph.csv</c>), two days of fault-free metrics
/// (<c>noissue/metrics.csv</c>) and per issue 25 minutes of metrics around the violation of the
/// target objective (<c>PetSite</c>'s average latency or availability) at a 5-minute step.
/// A method sees the graph, the target and the metrics; never <c>target.json</c>'s metadata.
/// </summary>
internal static class PetShopDataset
{
    private const string System = "petshop";
    private const int Step = 300;

    /// <summary>One column of a metrics file: node, metric and statistic.</summary>
    private readonly record struct Column(string Node, string Metric, string Statistic);

    public static IReadOnlyList<RcaCase> Load(string folder, Action<string>? progress)
    {
        using var index = Sep.Reader().FromFile(Path.Combine(folder, "cases.csv"));
        var scenarios = new Dictionary<string, (IReadOnlyList<(string, string)> Calls, Dictionary<Column, double[]> Normal)>(StringComparer.Ordinal);
        var cases = new List<RcaCase>();
        foreach (var row in index)
        {
            var scenario = row["scenario"].ToString();
            if (!scenarios.TryGetValue(scenario, out var known))
            {
                scenarios[scenario] = known = (Calls(Path.Combine(folder, scenario, "graph.csv")), Metrics(Path.Combine(folder, scenario, "noissue", "metrics.csv")).Values);
            }

            var path = row["path"].ToString();
            var target = row["target_node"].ToString();
            var metric = row["target_metric"].ToString();
            var violatedAt = row["target_timestamp"].Parse<double>();
            var issue = Metrics(Path.Combine(folder, path, "metrics.csv"));
            var problem = Problem(issue, known.Normal, known.Calls, metric, row["target_agg"].ToString(), violatedAt) with { Target = target };
            cases.Add(new RcaCase($"{scenario}/{row["issue"]}", System, $"{scenario}-{metric}", row["root_cause_node"].ToString(), problem));
            progress?.Invoke(path);
        }

        return cases;
    }

    /// <summary>
    /// The target's kind of metric and statistic for every node. Rows that end before the violation
    /// are the pre-onset level. Remote endpoints (<c>_remote</c>: seen only by their callers) are
    /// evidence about their callers; <c>_client</c> nodes are load generators, never causes.
    /// </summary>
    private static RcaProblem Problem(
        (double[] Times, Dictionary<Column, double[]> Values) issue,
        Dictionary<Column, double[]> normal,
        IReadOnlyList<(string Caller, string Callee)> calls,
        string metric,
        string statistic,
        double violatedAt)
    {
        var before = issue.Times.Select(t => t + Step <= violatedAt).ToArray();
        var direction = metric == "availability" ? ShiftDirection.Down : ShiftDirection.Up;
        var windows = new List<MetricWindow>();
        foreach (var (column, values) in issue.Values)
        {
            if (column.Metric != metric || column.Statistic != statistic || !normal.TryGetValue(column, out var baseline) || IsClient(column.Node))
            {
                continue;
            }

            var candidates = IsRemote(column.Node) ? calls.Where(c => c.Callee == column.Node).Select(c => c.Caller) : [column.Node];
            foreach (var candidate in candidates)
            {
                windows.Add(new MetricWindow(candidate, $"{column.Node} {column.Metric} {column.Statistic}", baseline, [.. values.Where((_, i) => !before[i])])
                {
                    PreOnset = [.. values.Where((_, i) => before[i])],
                    Direction = direction,
                });
            }
        }

        return new RcaProblem(windows) { Calls = [.. calls.Where(c => !IsRemote(c.Callee) && !IsClient(c.Caller))] };
    }

    private static bool IsRemote(string node) => node.EndsWith("_remote", StringComparison.Ordinal);

    private static bool IsClient(string node) => node.EndsWith("_client", StringComparison.Ordinal);

    /// <summary>Four header rows (node, metric, statistic, <c>unix_timestamp</c>), then one row per step.</summary>
    private static (double[] Times, Dictionary<Column, double[]> Values) Metrics(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing");
        }

        using var reader = Sep.Reader(o => o with { HasHeader = false }).FromFile(path);
        var header = new List<string[]>();
        var times = new List<double>();
        var cells = new List<double[]>();
        foreach (var row in reader)
        {
            var texts = new string[row.ColCount];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = row[i].ToString();
            }

            if (header.Count < 4)
            {
                header.Add(texts);
                continue;
            }

            times.Add(RcaCsv.Number(texts[0]));
            cells.Add([.. texts.Skip(1).Select(t => RcaCsv.Number(t))]);
        }

        if (header.Count < 4 || header[0][0] != "microservice")
        {
            throw new InvalidDataException($"{path}: expected four header rows (microservice, metric, statistic, unix_timestamp)");
        }

        var values = new Dictionary<Column, double[]>();
        for (var c = 1; c < header[0].Length; c++)
        {
            values.TryAdd(new Column(header[0][c], header[1][c], header[2][c]), [.. cells.Select(r => r[c - 1])]);
        }

        return ([.. times], values);
    }

    /// <summary>An adjacency matrix with node names on both sides: a 1 in row A, column B means A calls B.</summary>
    private static List<(string, string)> Calls(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing");
        }

        using var reader = Sep.Reader().FromFile(path);
        var callees = reader.Header.ColNames.Skip(1).ToList();
        var calls = new List<(string, string)>();
        foreach (var row in reader)
        {
            for (var c = 0; c < callees.Count; c++)
            {
                if (RcaCsv.Number(row[c + 1].Span) == 1)
                {
                    calls.Add((row[0].ToString(), callees[c]));
                }
            }
        }

        return calls;
    }
}
