using BenchmarkDotNet.Attributes;
using Medic.Adapters.Ingest;
using Medic.Adapters.Ingest.Otlp;
using Medic.Bench;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Benchmarks.Ingest;

/// <summary>
/// One OTLP/HTTP protobuf export of 2,000 data points (the benchmark estate: 100 pods, counters as
/// cumulative sums, gauges) read into the store, every stream already known. Counters also give a
/// rate, so the export stores about 3,500 samples. Each invocation moves the points a step on.
/// </summary>
[MemoryDiagnoser]
public class OtlpBenchmarks
{
    private const int Points = 2_000;
    private readonly Random _random = new(1);
    private readonly List<Sample> _collected = new(2 * Points);
    private OtlpLoad _load = null!;
    private OtlpMetricsReader _reader = null!;
    private SeriesStore _store = null!;
    private byte[] _request = [];
    private int _length;
    private long _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        _timestamp = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        _load = OtlpLoad.Create(EstateSeries.Create(Points), _timestamp * 1_000_000);
        _store = new SeriesStore(new SeriesStoreOptions());
        _reader = new OtlpMetricsReader(_store, new IngestLimits());
        Read();
    }

    /// <summary>
    /// The same export again: decoded and checked in full, every point then found a duplicate, so
    /// nothing is appended. What this allocates is what the decoder allocates.
    /// </summary>
    [Benchmark]
    public long Decode()
    {
        _collected.Clear();
        return _reader.Read(_request.AsSpan(0, _length), _collected).Accepted;
    }

    /// <summary>Checks and stores the export; what it allocates is the chunks the new samples go into.</summary>
    [Benchmark]
    public long Read()
    {
        _timestamp += 15_000;
        _length = _load.Next(_timestamp, _random, ref _request);
        _collected.Clear();
        var result = _reader.Read(_request.AsSpan(0, _length), _collected);
        if (_timestamp % (360 * 15_000) == 0)
        {
            _store.Compact(_timestamp);
        }

        return result.Accepted;
    }
}
