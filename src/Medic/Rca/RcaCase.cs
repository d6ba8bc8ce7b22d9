using Medic.Core.Rca.Shift;

namespace Medic.Rca;

/// <summary>
/// One labelled case of an RCA dataset: what a method may see (<see cref="Problem"/>) and, kept
/// apart, the truth it is scored against.
/// </summary>
/// <param name="Id">The case, as the dataset names it.</param>
/// <param name="System">The system it ran on (a dataset may hold several).</param>
/// <param name="Fault">The fault type injected (for per-fault figures).</param>
/// <param name="RootCause">The true root-cause service.</param>
/// <param name="Problem">The method's input: metrics, call graph, target; never a label.</param>
internal sealed record RcaCase(string Id, string System, string Fault, string RootCause, RcaProblem Problem);

/// <summary>Loads the datasets laid out as the folders of the RCA benchmark.</summary>
internal static class RcaDatasets
{
    /// <summary>
    /// Reads <paramref name="folder"/>, telling the layout from its <c>cases.csv</c> header:
    /// Sock Shop (RCD), PetShop or Nezha.
    /// </summary>
    public static IReadOnlyList<RcaCase> Load(string folder, Action<string>? progress = null)
    {
        var index = Path.Combine(folder, "cases.csv");
        if (!File.Exists(index))
        {
            throw new InvalidDataException($"{index} is missing: an RCA dataset folder has cases.csv (one row per case) beside its data");
        }

        var header = File.ReadLines(index).FirstOrDefault()?.Split(',') ?? [];
        return header switch
        {
            _ when header.Contains("root_cause_metric") => SockShopDataset.Load(folder, progress),
            _ when header.Contains("target_node") => PetShopDataset.Load(folder, progress),
            _ when header.Contains("aligned_ts") => NezhaDataset.Load(folder, progress),
            _ => throw new InvalidDataException($"{index}: unknown layout (header {string.Join(',', header)}); expected the cases.csv of rcd-sockshop, petshop or nezha"),
        };
    }
}
