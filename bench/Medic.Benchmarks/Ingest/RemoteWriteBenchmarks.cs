using BenchmarkDotNet.Attributes;
using Medic.Adapters.Ingest;
using Medic.Adapters.Ingest.RemoteWrite;
using Medic.Bench;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Benchmarks.Ingest;

/// <summary>
/// One remote_write request of 2,000 samples (the benchmark estate's series, all known to the
/// store) through each step of <c>POST /api/v1/write</c>: snappy, then checking and storing. Every
/// invocation moves the samples a step on, so they are stored, not refused as duplicates.
/// </summary>
[MemoryDiagnoser]
public class RemoteWriteBenchmarks
{
    private const int Samples = 2_000;
    private readonly Random _random = new(1);
    private readonly List<Sample> _collected = new(Samples);
    private RemoteWriteLoad _load = null!;
    private RemoteWriteReader _reader = null!;
    private SeriesStore _store = null!;
    private byte[] _compressed = [];
    private byte[] _inflated = [];
    private int _compressedLength;
    private long _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        _load = RemoteWriteLoad.Create(EstateSeries.Create(Samples));
        _store = new SeriesStore(new SeriesStoreOptions());
        _reader = new RemoteWriteReader(new SeriesResolver(_store), new IngestLimits());
        _timestamp = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        _compressedLength = _load.Next(_timestamp, _random, ref _compressed);
        _inflated = new byte[_load.Message.Length];
        Read();
    }

    [Benchmark]
    public int Decompress() => Snappier.Snappy.Decompress(_compressed.AsSpan(0, _compressedLength), _inflated);

    /// <summary>
    /// The same request again: decoded and checked in full, every sample then found a duplicate, so
    /// nothing is appended. What this allocates is what the decoder allocates.
    /// </summary>
    [Benchmark]
    public int Decode()
    {
        _collected.Clear();
        return _reader.Read(_load.Message, _collected).Duplicates;
    }

    /// <summary>Checks and stores the request; what it allocates is the chunks the new samples go into.</summary>
    [Benchmark]
    public int Read()
    {
        _timestamp += 15_000;
        _load.Advance(_timestamp, _random);
        _collected.Clear();
        var result = _reader.Read(_load.Message, _collected);
        if (_timestamp % (360 * 15_000) == 0)
        {
            // Keep the store at the retention of a real server: six hours of samples.
            _store.Compact(_timestamp);
        }

        return result.Stored;
    }
}

