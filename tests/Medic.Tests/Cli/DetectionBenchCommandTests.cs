using System.Text.Json.Nodes;
using Medic.Testing;
using Medic.Tests.Support;
using Xunit.Abstractions;

namespace Medic.Tests.Cli;

/// <summary><c>medic bench detect</c> and <c>medic bench stl</c> as processes, small enough for the test suite.</summary>
public sealed class DetectionBenchCommandTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Bench_detect_writes_its_figures_and_the_detector_allocates_nothing()
    {
        using var dir = new TempDirectory();
        var json = dir.File("detect.json");

        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(2), "bench", "detect", "--series", "500", "--points", "800", "--json", json);
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, exit);
        var figures = JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsObject();
        Assert.Equal(["allocations_per_sample", "bytes_per_series", "samples_per_s", "series"], figures.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Equal(500, figures["series"]!.GetValue<int>());
        Assert.Equal(0, figures["allocations_per_sample"]!.GetValue<double>());
        Assert.InRange(figures["bytes_per_series"]!.GetValue<double>(), 1_000, 4_096);
    }

    [Fact]
    public async Task Bench_stl_times_both_and_they_agree()
    {
        using var dir = new TempDirectory();
        var json = dir.File("stl.json");

        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(2), "bench", "stl", "--points", "1000", "--period", "24", "--runs", "1", "--json", json);
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, exit);
        var figures = JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsObject();
        Assert.Equal(["max_difference", "medic_ms", "period", "points", "speedup", "statsmodels_ms"], figures.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.True(figures["max_difference"]!.GetValue<double>() < 1e-6, $"{figures["max_difference"]}");
        Assert.True(figures["statsmodels_ms"]!.GetValue<double>() > 0);
    }
}
