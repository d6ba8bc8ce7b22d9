using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Core.Tests.Telemetry;

public sealed class SeriesStoreTests
{
    [Fact]
    public void A_chunk_gives_back_exactly_what_went_in_whatever_the_values_and_gaps()
    {
        var random = new Random(7);
        var chunk = new GorillaChunk();
        var expected = new List<(long, double)>();
        var t = 1_700_000_000_000L;
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0, double.MaxValue, double.Epsilon, BitConverter.UInt64BitsToDouble(0x7ff0000000000002)];
        for (var i = 0; i < 2_000; i++)
        {
            t += random.Next(5) switch { 0 => 10_000, 1 => 10_000 + random.Next(-50, 50), 2 => random.Next(1, 3_000), 3 => random.Next(1, 100_000_000), _ => 10_000 };
            var value = i % 97 == 0 ? specials[i / 97 % specials.Length] : random.Next(3) switch { 0 => Math.Round(random.NextDouble() * 100, 2), 1 => i, _ => random.NextDouble() * 1e9 };
            Assert.True(chunk.Append(t, value));
            expected.Add((t, value));
        }

        var actual = new List<(long Timestamp, double Value)>();
        chunk.ReadInto(actual, long.MinValue, long.MaxValue);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Item1, actual[i].Timestamp);
            Assert.Equal(BitConverter.DoubleToUInt64Bits(expected[i].Item2), BitConverter.DoubleToUInt64Bits(actual[i].Value));
        }
    }

    [Fact]
    public void Regular_series_take_a_few_bits_a_sample()
    {
        var counter = new GorillaChunk();
        var gauge = new GorillaChunk();
        for (var i = 0; i < 120; i++)
        {
            counter.Append(1_700_000_000_000L + (i * 15_000), 1_000 + (i * 3));
            gauge.Append(1_700_000_000_000L + (i * 15_000), 0.25 * (i % 8));
        }

        var counterBytes = counter.Seal().Data.Length;
        var gaugeBytes = gauge.Seal().Data.Length;
        Assert.True(counterBytes < 120 * 2, $"counter: {counterBytes} bytes");
        Assert.True(gaugeBytes < 120 * 3, $"gauge: {gaugeBytes} bytes");
    }

    [Fact]
    public void A_sample_not_after_the_last_one_is_dropped_and_a_repeat_is_a_duplicate()
    {
        var series = new SeriesStore(new SeriesStoreOptions()).GetOrAdd(SeriesKey.Of("up", "service", "cart"))!;

        Assert.Equal(AppendResult.Stored, series.Append(2_000, 1));
        Assert.Equal(AppendResult.Duplicate, series.Append(2_000, 1));
        Assert.Equal(AppendResult.OutOfOrder, series.Append(2_000, 2));
        Assert.Equal(AppendResult.OutOfOrder, series.Append(1_000, 1));
        Assert.Equal(AppendResult.Stored, series.Append(3_000, 1));
    }

    [Fact]
    public void Past_the_cardinality_limit_new_series_are_refused_and_existing_ones_keep_flowing()
    {
        var store = new SeriesStore(new SeriesStoreOptions { MaxSeries = 2 });
        var a = store.GetOrAdd(SeriesKey.Of("m", "i", "1"))!;
        store.GetOrAdd(SeriesKey.Of("m", "i", "2"));

        Assert.Null(store.GetOrAdd(SeriesKey.Of("m", "i", "3")));
        Assert.Same(a, store.GetOrAdd(SeriesKey.Of("m", "i", "1")));
    }

    [Fact]
    public void Queries_select_by_matchers_and_time_and_old_data_ages_out()
    {
        var store = new SeriesStore(new SeriesStoreOptions { Retention = TimeSpan.FromMinutes(10) });
        foreach (var (service, code) in new[] { ("cart", "200"), ("cart", "500"), ("payment", "503") })
        {
            var series = store.GetOrAdd(SeriesKey.Of("http_requests_total", "service", service, "code", code))!;
            for (var i = 0; i < 300; i++)
            {
                series.Append(i * 10_000L, i);
            }
        }

        var errors = store.Query(LabelMatcher.ParseSelector("http_requests_total{code=~\"5..\", service!=\"payment\"}"), 100_000, 200_000);
        var (key, samples) = Assert.Single(errors);
        Assert.Equal("500", key["code"]);
        Assert.Equal(11, samples.Count);
        Assert.Equal((100_000, 10), samples[0]);

        Assert.Equal(0, store.Compact(now: 300 * 10_000L));
        Assert.Equal(3, store.SeriesCount);
        Assert.Empty(store.Query(LabelMatcher.ParseSelector("{service=\"cart\"}"), 0, 1_000_000 - 1));
        Assert.Equal(3, store.Compact(now: 10_000_000));
    }

    [Theory]
    [InlineData("{service=\"cart\"")]
    [InlineData("{service cart}")]
    [InlineData("{code=~\"(\"}")]
    [InlineData("{}")]
    public void A_bad_selector_says_what_is_wrong(string selector) =>
        Assert.Throws<FormatException>(() => LabelMatcher.ParseSelector(selector));
}
