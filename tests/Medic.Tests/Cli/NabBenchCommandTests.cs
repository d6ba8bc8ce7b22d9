using System.Text.Json.Nodes;
using Medic.Testing;
using Medic.Tests.Support;
using Xunit.Abstractions;

namespace Medic.Tests.Cli;

/// <summary><c>medic bench nab</c> as a process, on the NAB corpus beside the repository.</summary>
public sealed class NabBenchCommandTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Scores_the_corpus_and_writes_the_documented_json()
    {
        using var dir = new TempDirectory();
        var json = dir.File("nab.json");

        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(3), "bench", "nab", "--data", SharedBenchmarks.Folder("nab"), "--json", json);
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, exit);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsObject();
        Assert.Equal("medic", report["detector"]!.GetValue<string>());
        Assert.Equal(35, report["files"]!.GetValue<int>());
        var scores = report["scores"]!.AsObject();
        Assert.Equal(["reward_low_FN_rate", "reward_low_FP_rate", "standard"], scores.Select(s => s.Key).Order(StringComparer.Ordinal));

        // The detector is deterministic: this guards against a change that makes it worse (docs/benchmarks.md has the figures).
        Assert.True(scores["standard"]!.GetValue<double>() >= 65.9, $"standard {scores["standard"]}");
        Assert.Contains("standard", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_is_not_a_corpus_is_an_error_that_says_what_is_missing()
    {
        using var dir = new TempDirectory();

        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "bench", "nab", "--data", dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains("combined_windows.json is missing: a NAB corpus has data/<category>/<file>.csv", stdout + stderr, StringComparison.Ordinal);
    }
}
