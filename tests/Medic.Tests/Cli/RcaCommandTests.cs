using System.Text.Json.Nodes;
using Medic.Testing;
using Medic.Tests.Support;
using Xunit.Abstractions;

namespace Medic.Tests.Cli;

/// <summary><c>medic rca</c> as a process, on the RCA datasets beside the repository.</summary>
public sealed class RcaCommandTests(ITestOutputHelper output)
{
    [Theory]
    // The ranking is deterministic: these floors guard against a change that makes it worse (docs/benchmarks.md has the figures).
    [InlineData("rcd-sockshop", 30, "avg_at_5", 0.99)]
    [InlineData("petshop", 26, "ac_at_1", 0.80)]
    [InlineData("nezha", 48, "ac_at_1", 0.40)]
    public async Task Scores_a_dataset_and_writes_the_documented_json(string dataset, int cases, string figure, double floor)
    {
        using var dir = new TempDirectory();
        var json = dir.File("rca.json");

        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(3), "rca", "--data", Path.Combine(SharedBenchmarks.Folder("rca"), dataset), "--json", json);
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, exit);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsObject();
        Assert.Equal(dataset, report["dataset"]!.GetValue<string>());
        Assert.Equal(cases, report["cases"]!.GetValue<int>());
        foreach (var key in new[] { "ac_at_1", "ac_at_3", "avg_at_5", "p95_ms" })
        {
            Assert.True(report.ContainsKey(key), key);
        }

        Assert.NotEmpty(report["per_fault"]!.AsObject());
        Assert.Equal(cases, report["per_system"]!.AsObject().Sum(s => s.Value!["cases"]!.GetValue<int>()));
        Assert.True(report[figure]!.GetValue<double>() >= floor, $"{figure} {report[figure]}");
        Assert.Contains("AC@1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_is_no_dataset_is_an_error_that_says_what_is_missing()
    {
        using var dir = new TempDirectory();

        var (exit, _, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "rca", "--data", dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains("cases.csv is missing", stderr, StringComparison.Ordinal);
    }
}
