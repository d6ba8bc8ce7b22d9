using Medic.Core.Detection;

namespace Medic.Core.Tests.Detection;

public sealed class SeriesWindowTests
{
    [Theory]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    [InlineData(8, 3)]
    public void Median_and_MAD_equal_those_of_the_sorted_window_as_it_fills_and_rolls(int capacity, int seed)
    {
        var random = new Random(seed);
        var window = new SeriesWindow(capacity, new MetricRule("MetricAnomaly", Direction.Both));
        var recent = new Queue<double>();
        for (var i = 0; i < 1_000; i++)
        {
            // Repeated values, negative zero and wide ranges: the cases where a sorted copy can drift.
            var value = random.Next(4) switch { 0 => random.Next(5), 1 => -0.0, 2 => random.NextDouble() * 1e6, _ => -random.NextDouble() };
            window.Push(value);
            recent.Enqueue(value);
            if (recent.Count > capacity)
            {
                recent.Dequeue();
            }

            var sorted = recent.Order().ToArray();
            var median = Median(sorted);
            var mad = Median([.. sorted.Select(v => Math.Abs(v - median)).Order()]);
            Assert.Equal((median, mad), window.MedianAndMad());
        }
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
