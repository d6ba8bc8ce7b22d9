using Medic.Core.Rca.Shift;
using nietras.SeparatedValues;

namespace Medic.Rca;

/// <summary>
/// The RCD Sock Shop cases: <c>cases/&lt;service&gt;-&lt;fault&gt;/&lt;rep&gt;/normal.csv</c> and
/// <c>anomalous.csv</c>, one column per <c>&lt;container&gt;_&lt;kind&gt;</c>, one row per second.
/// The normal window was recorded apart from the incident, so it is only a baseline.
/// </summary>
internal static class SockShopDataset
{
    private const string System = "sock-shop";

    public static IReadOnlyList<RcaCase> Load(string folder, Action<string>? progress)
    {
        using var index = Sep.Reader().FromFile(Path.Combine(folder, "cases.csv"));
        var cases = new List<RcaCase>();
        foreach (var row in index)
        {
            var id = row["case"].ToString();
            var directory = Path.Combine(folder, "cases", id);
            var normal = Columns(Path.Combine(directory, "normal.csv"));
            var anomalous = Columns(Path.Combine(directory, "anomalous.csv"));
            var metrics = normal.Keys.Where(anomalous.ContainsKey)
                .Select(name => new MetricWindow(ServiceOf(name), name, normal[name], anomalous[name]))
                .ToList();
            cases.Add(new RcaCase(id, System, row["fault"].ToString(), row["root_cause_service"].ToString(), new RcaProblem(metrics)));
            progress?.Invoke(id);
        }

        return cases;
    }

    /// <summary><c>carts-db_cpu</c> → <c>carts</c>: a database belongs to its service, as the dataset scores it.</summary>
    private static string ServiceOf(string column)
    {
        var container = column[..column.IndexOf('_', StringComparison.Ordinal)];
        return container.EndsWith("-db", StringComparison.Ordinal) ? container[..^3] : container;
    }

    private static Dictionary<string, double[]> Columns(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing");
        }

        using var reader = Sep.Reader().FromFile(path);
        var names = reader.Header.ColNames.Where(n => n != "time").ToList();
        var values = names.ToDictionary(n => n, _ => new List<double>(), StringComparer.Ordinal);
        foreach (var row in reader)
        {
            foreach (var name in names)
            {
                values[name].Add(RcaCsv.Number(row[name].Span));
            }
        }

        return values.ToDictionary(v => v.Key, v => v.Value.ToArray(), StringComparer.Ordinal);
    }
}
