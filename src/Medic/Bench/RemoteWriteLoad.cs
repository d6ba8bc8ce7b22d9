using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Medic.SimWire;

namespace Medic.Bench;

/// <summary>
/// One remote_write request of the ingest benchmark: a fixed set of series with one sample each, as
/// Prometheus sends them (2,000 samples a request by default). The WriteRequest is encoded once;
/// each round rewrites only its timestamps and values in place and compresses it with snappy, so
/// the sender's time goes to the wire and Medic, not to encoding.
/// </summary>
internal sealed class RemoteWriteLoad : ILoadBatch
{
    /// <summary>Milliseconds timestamps take six varint bytes from 1971 to 2109, so they can be rewritten in place.</summary>
    private const int TimestampBytes = 6;

    private readonly byte[] _message;
    private readonly int[] _samples;
    private readonly EstateSeries[] _series;
    private readonly double[] _values;

    private RemoteWriteLoad(byte[] message, int[] samples, EstateSeries[] series)
    {
        _message = message;
        _samples = samples;
        _series = series;
        _values = [.. series.Select(s => s.Start)];
    }

    /// <inheritdoc />
    public int Samples => _samples.Length;

    /// <summary>The request for the given series of the estate.</summary>
    public static RemoteWriteLoad Create(IReadOnlyList<EstateSeries> series)
    {
        var writer = new ArrayBufferWriter<byte>();
        var samples = new int[series.Count];
        for (var i = 0; i < series.Count; i++)
        {
            var labels = new ArrayBufferWriter<byte>();
            foreach (var (name, value) in series[i].Labels)
            {
                var label = new ArrayBufferWriter<byte>();
                ProtoWriter.Bytes(label, 1, Encoding.UTF8.GetBytes(name));
                ProtoWriter.Bytes(label, 2, Encoding.UTF8.GetBytes(value));
                ProtoWriter.Bytes(labels, 1, label.WrittenSpan);
            }

            // Sample { 1: double value, 2: int64 timestamp }, always 1 + 8 + 1 + 6 bytes.
            ProtoWriter.Varint(writer, (1 << 3) | 2);
            ProtoWriter.Varint(writer, (ulong)(labels.WrittenCount + 2 + 16));
            writer.Write(labels.WrittenSpan);
            writer.Write<byte>([(2 << 3) | 2, 16, (1 << 3) | 1]);
            samples[i] = writer.WrittenCount;
            writer.Write(new byte[8]);
            writer.Write<byte>([(2 << 3) | 0]);
            writer.Write(new byte[TimestampBytes]);
        }

        return new RemoteWriteLoad(writer.WrittenSpan.ToArray(), samples, [.. series]);
    }

    /// <summary>The uncompressed WriteRequest as it stands.</summary>
    public ReadOnlySpan<byte> Message => _message;

    /// <inheritdoc />
    public int Next(long timestamp, Random random, ref byte[] buffer)
    {
        Advance(timestamp, random);
        var room = Snappier.Snappy.GetMaxCompressedLength(_message.Length);
        if (buffer.Length < room)
        {
            buffer = new byte[room];
        }

        return Snappier.Snappy.Compress(_message, buffer);
    }

    /// <summary>Moves every series one step on, to <paramref name="timestamp"/> (Unix ms).</summary>
    public void Advance(long timestamp, Random random)
    {
        if (timestamp < 1L << 35 || timestamp >= 1L << 42)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "timestamps of the benchmark lie between 1971 and 2109");
        }

        for (var i = 0; i < _samples.Length; i++)
        {
            _values[i] = _series[i].Next(_values[i], random);
            var at = _samples[i];
            BinaryPrimitives.WriteDoubleLittleEndian(_message.AsSpan(at), _values[i]);
            var t = (ulong)timestamp;
            for (var b = 0; b < TimestampBytes; b++, t >>= 7)
            {
                _message[at + 9 + b] = (byte)((t & 0x7F) | (b < TimestampBytes - 1 ? 0x80u : 0));
            }
        }
    }
}
