using System.Text.Json.Nodes;
using Medic.Testing;
using Medic.Tests.Support;
using Xunit.Abstractions;

namespace Medic.Tests.Cli;

/// <summary><c>medic bench gameday</c> as a process: the documented JSON, and the same seed giving the same figures.</summary>
public sealed class GamedayBenchCommandTests(ITestOutputHelper output)
{
    private static readonly string[] Keys =
    [
        "ac_at_1", "ac_at_3", "actions_blocked_by_policy", "brier_score", "compression", "correct_playbook_rate", "false_incidents_per_day", "faults", "folded_faults", "iatrogenic_actions",
        "incidents", "mttd_s_median", "mttr_s_median", "mttr_s_p90", "per_kind", "purity", "recall", "recovered_rate", "reliability", "signals", "split_rate",
    ];

    [Fact]
    public async Task Writes_the_documented_figures_overall_and_per_kind_and_the_same_seed_gives_the_same_day()
    {
        using var dir = new TempDirectory();
        var (first, _) = await RunAsync(dir.File("first.json"));
        var (second, _) = await RunAsync(dir.File("second.json"));

        Assert.Equal(Keys, first.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.Equal(6, first["faults"]!.GetValue<int>());
        Assert.Equal(6, first["per_kind"]!.AsObject().Sum(k => k.Value!["faults"]!.GetValue<int>()));
        Assert.InRange(first["recall"]!.GetValue<double>(), 0, 1);
        Assert.InRange(first["purity"]!.GetValue<double>(), 0, 1);
        Assert.InRange(first["split_rate"]!.GetValue<double>(), 0, 1);
        Assert.True(first["signals"]!.GetValue<int>() >= first["incidents"]!.GetValue<int>());
        Assert.InRange(first["brier_score"]!.GetValue<double>(), 0, 1);
        Assert.Equal(5, first["reliability"]!.AsArray().Count);

        // The same day to the figure: the estate steps on only once the loop has handled each moment.
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
    }

    [Fact]
    public async Task With_learn_competing_playbooks_join_and_the_learner_is_scored_without_exploring_above_the_risk_ceiling()
    {
        using var dir = new TempDirectory();

        // 51 faults: the training job runs after the 25th and the 50th, on the operator's word about each;
        // by the 50th there are enough confirmed diagnoses to fit a calibration.
        var (figures, stdout) = await RunAsync(dir.File("learn.json"), "--faults", "51", "--seed", "2", "--learn");

        Assert.Equal(
            Keys.Concat(["best_action_rate_last_100", "cumulative_regret", "explored_above_risk_ceiling", "learning_choices", "brier_last_100", "brier_last_100_uncalibrated", "calibrations_installed", "greedy_policies_acting"]).Order(StringComparer.Ordinal),
            figures.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.True(figures["learning_choices"]!.GetValue<int>() > 0, "several playbooks matched some faults");
        Assert.InRange(figures["best_action_rate_last_100"]!.GetValue<double>(), 0, 1);
        Assert.InRange(figures["cumulative_regret"]!.GetValue<int>(), 0, figures["learning_choices"]!.GetValue<int>());
        Assert.Equal(0, figures["explored_above_risk_ceiling"]!.GetValue<int>());
        Assert.Contains("learning: ", stdout, StringComparison.Ordinal);
        Assert.Contains("rca calibration: ", stdout, StringComparison.Ordinal);
        Assert.Contains(" of 1 fitted took over", stdout, StringComparison.Ordinal);
        Assert.InRange(figures["brier_last_100"]!.GetValue<double>(), 0, 1);
        Assert.InRange(figures["brier_last_100_uncalibrated"]!.GetValue<double>(), 0, 1);
    }

    [Fact]
    public async Task With_drift_the_traffic_changes_halfway_and_false_incidents_are_reported_before_and_after()
    {
        using var dir = new TempDirectory();

        var (figures, stdout) = await RunAsync(dir.File("drift.json"), "--faults", "6", "--seed", "3", "--drift");

        foreach (var key in new[] { "false_incidents_per_day_before_drift", "false_incidents_per_day_first_6h_after_drift", "false_incidents_per_day_later_after_drift" })
        {
            Assert.True(figures[key]!.GetValue<double>() >= 0, key);
        }

        Assert.Contains("the traffic pattern changed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_estate_file_is_an_error_with_its_place()
    {
        using var dir = new TempDirectory();
        var estate = dir.File("estate.yaml");
        await File.WriteAllTextAsync(estate, "namespace: x\nentry: nowhere\n");

        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "bench", "gameday", "--faults", "1", "--estate", estate);

        Assert.Equal(1, exit);
        Assert.Contains("estate.yaml: entry: 'nowhere' is not a service of this estate", stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>A game day as a process (six faults of seed 3 unless <paramref name="options"/> say otherwise): its JSON and what it printed, progress included.</summary>
    private async Task<(JsonObject Figures, string Output)> RunAsync(string json, params string[] options)
    {
        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(3), ["bench", "gameday", .. options.Length == 0 ? ["--faults", "6", "--seed", "3"] : options, "--json", json]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);
        return (JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsObject(), stdout + stderr);
    }
}
