using System.Text.Json.Nodes;
using Medic.Testing;
using Medic.Tests.Support;
using Xunit.Abstractions;

namespace Medic.Tests.Cli;

/// <summary>The medic executable, run as a separate process exactly as the README shows.</summary>
public sealed class CommandLineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Demo_heals_every_fault_and_writes_the_report_in_the_documented_format()
    {
        using var dir = new TempDirectory();
        var json = dir.File("out.json");
        var (exit, stdout, stderr) = await MedicProcess.RunAsync(
            TimeSpan.FromMinutes(4),
            "demo", "--duration", "150", "--json", json, "--urls", "http://127.0.0.1:0", "--data", dir.File("demo.db"));
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, exit);
        var incidents = JsonNode.Parse(await File.ReadAllTextAsync(json))!["incidents"]!.AsArray();
        Assert.Equal(3, incidents.Count);
        foreach (var incident in incidents)
        {
            foreach (var field in new[] { "fault", "service", "detected_after_s", "diagnosis", "root_cause_correct", "playbook", "automation_level", "actions", "recovered", "time_to_recover_s" })
            {
                Assert.True(incident!.AsObject().ContainsKey(field), $"missing {field} in {incident.ToJsonString()}");
            }

            Assert.True(incident!["recovered"]!.GetValue<bool>(), incident.ToJsonString());
            Assert.True(incident["root_cause_correct"]!.GetValue<bool>(), incident.ToJsonString());
            Assert.Matches("^L[123]$", incident["automation_level"]!.GetValue<string>());
        }

        Assert.Contains("healed 3 of 3 injected fault(s)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Playbook_validate_accepts_the_shipped_playbooks_and_rejects_a_broken_one()
    {
        var (ok, okOut, _) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "playbook", "validate", RepoPaths.Playbooks);
        Assert.Equal(0, ok);
        Assert.Contains("ok       k8s-pod-oom-restart-v1.yaml", okOut, StringComparison.Ordinal);

        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("broken.yaml"), "playbook_id: x\nactions: []\n");
        var (bad, _, errors) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "playbook", "validate", dir.Path);
        Assert.Equal(1, bad);
        Assert.Contains("rejected broken.yaml:1:1: 'trigger' is required", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_option_is_refused_with_usage_and_a_nonzero_exit()
    {
        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "demo", "--duration", "0");
        Assert.NotEqual(0, exit);
        Assert.Contains("--duration must be at least 1 second.", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_ingest_writes_its_four_figures_in_the_documented_json()
    {
        using var dir = new TempDirectory();
        var json = dir.File("ingest.json");
        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(3), "bench", "ingest", "--seconds", "1", "--series", "400", "--json", json);
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, exit);
        var figures = JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsObject();
        Assert.Equal(["bytes_per_sample", "otlp_samples_per_s", "p99_ms", "remote_write_samples_per_s"], figures.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.All(figures, f => Assert.True(f.Value!.GetValue<double>() > 0, f.Key));
        // A full 6-hour window of every series: 1,440 samples, plus at most one 120-sample chunk begun before its cutoff.
        Assert.Matches(@"bytes per retained sample in the store at steady state \(\d{3},\d{3} samples, 1,(4[4-9]|5[0-6])\d a series", stdout);
    }
}
