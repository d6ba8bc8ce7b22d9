using Medic.Core.Detection;

namespace Medic.Core.Tests.Detection;

public sealed class RollingWindowTests
{
    [Theory]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    [InlineData(8, 3)]
    public void Median_MAD_ranks_and_recent_values_equal_those_of_the_window_as_it_fills_and_rolls(int capacity, int seed)
    {
        var random = new Random(seed);
        var window = new RollingWindow(capacity);
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
            Assert.Equal(sorted[^1], window.Largest(0));
            Assert.Equal(sorted[0], window.Quantile(0));
            Assert.Equal(sorted[^1], window.Quantile(1));
            Assert.Equal(sorted.Count(v => v < value), window.CountBelow(value));
            Assert.Equal(value, window.Recent(0));
            Assert.Equal(recent.First(), window.Recent(recent.Count - 1));
        }
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
