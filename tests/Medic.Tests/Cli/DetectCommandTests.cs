using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Medic.Testing;
using Medic.Tests.Support;

namespace Medic.Tests.Cli;

/// <summary><c>medic detect FILE.csv</c> as a process.</summary>
public sealed class DetectCommandTests
{
    [Fact]
    public async Task Prints_the_anomalies_and_writes_the_plot_and_the_json()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("latency.csv");
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(3);
        var rows = Enumerable.Range(0, 288 * 10).Select(i =>
        {
            var value = 120 + (40 * Math.Sin(2 * Math.PI * i / 288)) + (4 * random.NextDouble()) + (i is >= 2000 and < 2006 ? 150 : 0);
            return string.Create(CultureInfo.InvariantCulture, $"{start.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{value:0.###}");
        });
        await File.WriteAllLinesAsync(csv, ["timestamp,value", .. rows]);

        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "detect", csv, "--plot", dir.File("plot.svg"), "--json", dir.File("out.json"));

        Assert.Equal(0, exit);
        Assert.Contains("season of 288 values, 1 anomalies", stdout, StringComparison.Ordinal);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(dir.File("out.json")))!;
        var anomaly = Assert.Single(report["anomalies"]!.AsArray())!;
        Assert.Equal("up", anomaly["direction"]!.GetValue<string>());
        var peak = DateTimeOffset.Parse(anomaly["peak"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(peak, start.AddMinutes(5 * 2000), start.AddMinutes(5 * 2005));
        var svg = XDocument.Load(dir.File("plot.svg"));
        Assert.Single(svg.Descendants(XName.Get("circle", "http://www.w3.org/2000/svg")));
        Assert.Contains("plot written to", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_that_is_not_a_time_and_a_number_is_an_error_with_its_line()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("bad.csv");
        await File.WriteAllLinesAsync(csv, ["timestamp,value", "2026-11-01 00:00:00,1", "2026-11-01 00:05:00,one"]);

        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "detect", csv);

        Assert.Equal(1, exit);
        Assert.Contains("bad.csv:3: '2026-11-01 00:05:00,one' is not a time and a number", stdout + stderr, StringComparison.Ordinal);
    }
}
