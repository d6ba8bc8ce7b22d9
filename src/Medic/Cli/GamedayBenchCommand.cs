using System.CommandLine;
using System.Text.Json.Nodes;
using Medic.Bench;
using Medic.Sim.Estate;
using Spectre.Console;

namespace Medic.Cli;

/// <summary><c>medic bench gameday</c>: random faults on the simulated estate through the whole loop, scored from ground truth.</summary>
internal static class GamedayBenchCommand
{
    public static Command Create()
    {
        var faults = new Option<int>("--faults") { Description = "Faults to draw from the simulator's library, one after another.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the draws and of the estate's noise: the same seed, the same game day.", DefaultValueFactory = _ => 1 };
        var estate = new Option<string?>("--estate") { Description = "An estate YAML file (sim/estates/*.yaml); default: the built-in default estate." };
        var json = new Option<string?>("--json") { Description = "Also write the figures as JSON (recall, false_incidents_per_day, mttd_s_median, ac_at_1, ac_at_3, correct_playbook_rate, recovered_rate, mttr_s_median, mttr_s_p90, iatrogenic_actions, actions_blocked_by_policy, signals, incidents, compression, purity, split_rate, folded_faults, per_kind) to this file." };
        var explain = new Option<string?>("--explain") { Description = "Also write every fault (and what became of it) and every incident's signals, each with the fault it is attributed to (c=-1: the background), to this text file." };
        var learn = new Option<bool>("--learn") { Description = "Add playbooks that match the same faults as the shipped ones but do not fix them (sim/playbooks/learn), and report how well Medic learns to choose: best_action_rate_last_100, cumulative_regret, explored_above_risk_ceiling. The operator's feedback after each fault also trains the RCA confidence calibration every 25 faults: brier_last_100 against brier_last_100_uncalibrated." };
        var drift = new Option<bool>("--drift") { Description = "Change the traffic pattern for good halfway (1.5× the traffic, peaking six hours later) and report false incidents a day before, in the first six hours after, and later: false_incidents_per_day_before_drift, …_first_6h_after_drift, …_later_after_drift; the same for each service's isolation forest run in shadow (shadow_false_alarms_per_day_…), its refits, and the share of faults it would have signalled (shadow_faults_caught)." };
        var command = new Command("gameday", "Inject random faults into the simulated estate in fast-forward, let Medic detect, diagnose, decide, act and verify, and score it from ground truth.") { faults, seed, estate, json, explain, learn, drift };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(faults) < 1)
            {
                await Console.Error.WriteLineAsync("medic bench gameday: --faults must be at least 1");
                return 1;
            }

            EstateSpec? spec = null;
            if (result.GetValue(estate) is { } path)
            {
                try
                {
                    spec = EstateFile.Load(path);
                }
                catch (Exception e) when (e is EstateFileException or IOException)
                {
                    await Console.Error.WriteLineAsync($"medic bench gameday: {e.Message}");
                    return 1;
                }
            }

            await using var explanation = result.GetValue(explain) is { } explainPath ? new StreamWriter(explainPath) : null;
            GamedayResult report;
            try
            {
                report = await GamedayBenchmark.RunAsync(result.GetValue(faults), result.GetValue(seed), spec, result.GetValue(learn), result.GetValue(drift), line => Console.Error.WriteLine(line), explanation, cancellationToken);
            }
            catch (DirectoryNotFoundException e)
            {
                await Console.Error.WriteLineAsync($"medic bench gameday: {e.Message}");
                return 1;
            }

            var table = new Table().Title($"game day: {report.Overall.Faults} faults over {report.Simulated.TotalHours:0.#} simulated hours")
                .AddColumns("kind", "faults", "recall", "MTTD s", "AC@1", "AC@3", "right playbook", "recovered", "MTTR s (p50 / p90)", "made worse", "blocked");
            foreach (var (kind, figures) in report.PerKind.Append(KeyValuePair.Create("all", report.Overall)))
            {
                table.AddRow(kind, $"{figures.Faults}", $"{figures.Recall:0.00}", $"{figures.MttdSMedian:0}", $"{figures.AcAt1:0.00}", $"{figures.AcAt3:0.00}", $"{figures.CorrectPlaybookRate:0.00}", $"{figures.RecoveredRate:0.00}", $"{figures.MttrSMedian:0} / {figures.MttrSP90:0}", $"{figures.IatrogenicActions}", $"{figures.BlockedByPolicy}");
            }

            AnsiConsole.Write(table);
            await Console.Out.WriteLineAsync($"false incidents per simulated day: {report.FalseIncidentsPerDay:0.0}");
            var c = report.Correlation;
            await Console.Out.WriteLineAsync($"correlation: {c.Signals} signals in {c.Incidents} incidents, compression {c.Compression:0.0}, purity {c.Purity:0.000}, split rate {c.SplitRate:0.000}, faults folded into another's incident {c.FoldedFaults}");
            var calibration = report.Calibration;
            await Console.Out.WriteLineAsync($"diagnosis calibration: Brier score {calibration.BrierScore:0.000} over {calibration.Cases} diagnoses; reliability (confidence band: cases, mean confidence, right): "
                + string.Join("; ", calibration.Bins.Select(b => $"{b.From:0.0}-{b.To:0.0}: {b.Cases}, {b.MeanConfidence:0.00}, {b.Accuracy:0.00}")));
            if (report.Drift is { } drifted)
            {
                var (incidents, alarms) = (drifted.FalseIncidents, drifted.ShadowFalseAlarms);
                await Console.Out.WriteLineAsync($"drift: false incidents a simulated day {incidents.Before:0.0} before the traffic changed, {incidents.FirstSixHours:0.0} in the six hours after, {incidents.Later:0.0} later");
                await Console.Out.WriteLineAsync($"drift: the shadow forests' false alarms a simulated day {alarms.Before:0.0} before, {alarms.FirstSixHours:0.0} in the six hours after, {alarms.Later:0.0} later; refits {drifted.RefitsBefore} before, {drifted.RefitsAfter} after ({drifted.ServicesRefitAfter} services), {drifted.SwappedAfter} of them swapped in; faults they would have signalled {drifted.ShadowFaultsCaught:0.00}");
            }

            if (report.Learning is { } learning)
            {
                await Console.Out.WriteLineAsync($"learning: {learning.Choices} choices among competing playbooks; best action in the last 100 faults {learning.BestActionRateLast100:0.00}; cumulative regret {learning.CumulativeRegret}; explored above the risk ceiling {learning.ExploredAboveRiskCeiling}; greedy policies let act after offline evaluation {learning.GreedyPolicies.Acting} of {learning.GreedyPolicies.Evaluated} evaluated");
                await Console.Out.WriteLineAsync($"rca calibration: {learning.Calibrations.Installed} of {learning.Calibrations.Fitted} fitted took over; Brier score of the last 100 faults' diagnoses {learning.BrierLast100:0.000} as published, {learning.BrierLast100Uncalibrated:0.000} with the ranker's own confidences");
            }
            if (result.GetValue(json) is { } output)
            {
                var figures = Json(report.Overall);
                figures["false_incidents_per_day"] = Math.Round(report.FalseIncidentsPerDay, 3);
                figures["signals"] = c.Signals;
                figures["incidents"] = c.Incidents;
                figures["compression"] = c.Compression;
                figures["purity"] = c.Purity;
                figures["split_rate"] = c.SplitRate;
                figures["folded_faults"] = c.FoldedFaults;
                figures["brier_score"] = calibration.BrierScore is { } brier ? Math.Round(brier, 4) : null;
                figures["reliability"] = new JsonArray([.. calibration.Bins.Select(b => (JsonNode)new JsonObject
                {
                    ["from"] = b.From,
                    ["to"] = b.To,
                    ["cases"] = b.Cases,
                    ["mean_confidence"] = Math.Round(b.MeanConfidence, 4),
                    ["accuracy"] = Math.Round(b.Accuracy, 4),
                })]);
                if (report.Drift is { } changed)
                {
                    figures["false_incidents_per_day_before_drift"] = Math.Round(changed.FalseIncidents.Before, 3);
                    figures["false_incidents_per_day_first_6h_after_drift"] = Math.Round(changed.FalseIncidents.FirstSixHours, 3);
                    figures["false_incidents_per_day_later_after_drift"] = Math.Round(changed.FalseIncidents.Later, 3);
                    figures["shadow_false_alarms_per_day_before_drift"] = Math.Round(changed.ShadowFalseAlarms.Before, 3);
                    figures["shadow_false_alarms_per_day_first_6h_after_drift"] = Math.Round(changed.ShadowFalseAlarms.FirstSixHours, 3);
                    figures["shadow_false_alarms_per_day_later_after_drift"] = Math.Round(changed.ShadowFalseAlarms.Later, 3);
                    figures["shadow_faults_caught"] = changed.ShadowFaultsCaught;
                    figures["drift_refits_before"] = changed.RefitsBefore;
                    figures["drift_refits_after"] = changed.RefitsAfter;
                    figures["drift_swaps_after"] = changed.SwappedAfter;
                }

                if (report.Learning is { } learnt)
                {
                    figures["best_action_rate_last_100"] = learnt.BestActionRateLast100;
                    figures["cumulative_regret"] = learnt.CumulativeRegret;
                    figures["explored_above_risk_ceiling"] = learnt.ExploredAboveRiskCeiling;
                    figures["learning_choices"] = learnt.Choices;
                    figures["brier_last_100"] = learnt.BrierLast100;
                    figures["brier_last_100_uncalibrated"] = learnt.BrierLast100Uncalibrated;
                    figures["calibrations_installed"] = learnt.Calibrations.Installed;
                    figures["greedy_policies_acting"] = learnt.GreedyPolicies.Acting;
                }

                figures["per_kind"] = new JsonObject(report.PerKind.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)Json(k.Value))));
                await File.WriteAllTextAsync(output, figures.ToJsonString() + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static JsonObject Json(GamedayFigures f) => new()
    {
        ["faults"] = f.Faults,
        ["recall"] = f.Recall,
        ["mttd_s_median"] = f.MttdSMedian,
        ["ac_at_1"] = f.AcAt1,
        ["ac_at_3"] = f.AcAt3,
        ["correct_playbook_rate"] = f.CorrectPlaybookRate,
        ["recovered_rate"] = f.RecoveredRate,
        ["mttr_s_median"] = f.MttrSMedian,
        ["mttr_s_p90"] = f.MttrSP90,
        ["iatrogenic_actions"] = f.IatrogenicActions,
        ["actions_blocked_by_policy"] = f.BlockedByPolicy,
    };
}
