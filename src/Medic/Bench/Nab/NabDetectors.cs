using Medic.Core.Detection.Models;

namespace Medic.Bench.Nab;

/// <summary>The detectors <c>medic bench nab</c> can run, each made afresh for a file, as NAB does.</summary>
internal static class NabDetectors
{
    public const string Default = "medic";

    /// <summary>Name → a detector for a file, told (as NAB tells its detectors) how long the file's probation is.</summary>
    public static readonly IReadOnlyDictionary<string, Func<NabFile, IAnomalyScorer>> All = new Dictionary<string, Func<NabFile, IAnomalyScorer>>(StringComparer.Ordinal)
    {
        // The baseline and the warm-up are the probation NAB gives every detector; an alarm quiets the next quarter of it.
        ["holt_winters"] = file => new HoltWintersNabScorer(file),
        [Default] = file => new RankSurpriseScorer(baseline: Math.Max(file.Probation, 20), history: 8000, local: 5, quiet: Math.Max(file.Probation / 4, 20), warmUp: Math.Max(file.Probation, 20)),
    };

    /// <summary>Runs <paramref name="detector"/> over every file, in parallel.</summary>
    public static IReadOnlyList<NabResult> Run(NabCorpus corpus, string detector)
    {
        var create = All[detector];
        var results = new NabResult[corpus.Files.Count];
        Parallel.For(0, corpus.Files.Count, i =>
        {
            var file = corpus.Files[i];
            var scorer = create(file);
            results[i] = new NabResult(file, [.. file.Values.Select(scorer.Observe)]);
        });
        return results;
    }
}
