using System.Numerics;

namespace Medic.Core.Telemetry.Storage;

/// <summary>
/// The open chunk of a series, Gorilla-encoded (Pelkonen et al., VLDB 2015): the first sample in
/// full, then each timestamp as the delta of its delta and each value as the XOR with the previous
/// one, so a regular counter costs one to two bytes a sample. A value type held inline by its
/// series; <see cref="Seal"/> hands its bytes over and starts it again.
/// </summary>
internal struct GorillaChunk
{
    private BitWriter _bits;
    private long _lastDelta;
    private ulong _lastValue;
    private int _leading;
    private int _trailing;

    /// <summary>An empty chunk with room for a typical first chunk.</summary>
    public GorillaChunk()
        : this(64)
    {
    }

    /// <summary>An empty chunk whose buffer starts at <paramref name="capacity"/> bytes.</summary>
    public GorillaChunk(int capacity)
    {
        _bits = new BitWriter(capacity);
        _leading = int.MaxValue;
    }

    /// <summary>Samples held.</summary>
    public int Count { get; private set; }

    /// <summary>Time of the first sample (Unix ms).</summary>
    public long FirstTimestamp { get; private set; }

    /// <summary>Time of the last sample (Unix ms).</summary>
    public long LastTimestamp { get; private set; }

    /// <summary>Bytes of memory the buffer takes.</summary>
    public readonly int Bytes => _bits.Buffer.Length;

    /// <summary>Appends a sample; false when it is not after the last one.</summary>
    public bool Append(long timestamp, double value)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        if (Count == 0)
        {
            FirstTimestamp = timestamp;
            _bits.Write((ulong)timestamp, 64);
            _bits.Write(bits, 64);
        }
        else
        {
            if (timestamp <= LastTimestamp)
            {
                return false;
            }

            var delta = timestamp - LastTimestamp;
            WriteDeltaOfDelta(delta - _lastDelta);
            _lastDelta = delta;
            WriteValue(bits ^ _lastValue);
        }

        LastTimestamp = timestamp;
        _lastValue = bits;
        Count++;
        return true;
    }

    /// <summary>
    /// The chunk's samples as a sealed chunk, and a fresh start sized for one like it. The buffer is
    /// handed over as it is when its unused tail is small, else trimmed to size.
    /// </summary>
    public SealedChunk Seal()
    {
        var used = _bits.UsedBytes;
        var buffer = _bits.Buffer;
        if (buffer.Length - used > 2 * BitWriter.Slack)
        {
            buffer = buffer.AsSpan(0, used).ToArray();
        }

        var sealedChunk = new SealedChunk(buffer, FirstTimestamp, LastTimestamp, Count);
        this = new GorillaChunk(used + BitWriter.Slack + (used >> 4));
        return sealedChunk;
    }

    /// <summary>Adds the samples in [<paramref name="from"/>, <paramref name="to"/>] to <paramref name="into"/>.</summary>
    public readonly void ReadInto(List<(long Timestamp, double Value)> into, long from, long to) =>
        Decode(_bits.Buffer, Count, into, from, to);

    /// <summary>Decodes <paramref name="count"/> samples of a chunk, keeping those in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    internal static void Decode(ReadOnlySpan<byte> bytes, int count, List<(long Timestamp, double Value)> into, long from, long to)
    {
        if (count == 0)
        {
            return;
        }

        var reader = new BitReader(bytes);
        var timestamp = (long)reader.Read(64);
        var value = reader.Read(64);
        Keep(timestamp, value);
        long delta = 0;
        int leading = 0, meaningful = 0;
        for (var i = 1; i < count && timestamp <= to; i++)
        {
            delta += ReadDeltaOfDelta(ref reader);
            timestamp += delta;
            if (reader.ReadBit())
            {
                if (reader.ReadBit())
                {
                    leading = (int)reader.Read(5);
                    meaningful = (int)reader.Read(6) + 1;
                }

                value ^= reader.Read(meaningful) << (64 - leading - meaningful);
            }

            Keep(timestamp, value);
        }

        void Keep(long t, ulong v)
        {
            if (t >= from && t <= to)
            {
                into.Add((t, BitConverter.UInt64BitsToDouble(v)));
            }
        }
    }

    private static long ReadDeltaOfDelta(ref BitReader reader)
    {
        if (!reader.ReadBit())
        {
            return 0;
        }

        var (width, offset) = !reader.ReadBit() ? (7, 64) : !reader.ReadBit() ? (9, 256) : !reader.ReadBit() ? (12, 2048) : (64, 0);
        var raw = reader.Read(width);
        if (width == 64)
        {
            return (long)raw;
        }

        // Sign-extend the two's-complement field.
        var value = (long)raw;
        return value > offset ? value - (1L << width) : value;
    }

    private void WriteDeltaOfDelta(long dod)
    {
        // The prefix and the field go in one write.
        switch (dod)
        {
            case 0:
                _bits.Write(0, 1);
                break;
            case >= -63 and <= 64:
                _bits.Write((0b10UL << 7) | ((ulong)dod & 0x7F), 9);
                break;
            case >= -255 and <= 256:
                _bits.Write((0b110UL << 9) | ((ulong)dod & 0x1FF), 12);
                break;
            case >= -2047 and <= 2048:
                _bits.Write((0b1110UL << 12) | ((ulong)dod & 0xFFF), 16);
                break;
            default:
                _bits.Write(0b1111, 4);
                _bits.Write((ulong)dod, 64);
                break;
        }
    }

    private void WriteValue(ulong xor)
    {
        if (xor == 0)
        {
            _bits.Write(0, 1);
            return;
        }

        var leading = Math.Min(BitOperations.LeadingZeroCount(xor), 31);
        var trailing = BitOperations.TrailingZeroCount(xor);
        if (_leading != int.MaxValue && leading >= _leading && trailing >= _trailing)
        {
            // Fits in the previous window: reuse its position and length.
            var length = 64 - _leading - _trailing;
            _bits.Write(0b10, 2);
            _bits.Write(xor >> _trailing, length);
            return;
        }

        var meaningful = 64 - leading - trailing;
        _bits.Write((0b11UL << 11) | ((uint)leading << 6) | (uint)(meaningful - 1), 13);
        _bits.Write(xor >> trailing, meaningful);
        (_leading, _trailing) = (leading, trailing);
    }
}

/// <summary>A full chunk of a series: its encoded bytes and the time span they cover.</summary>
/// <param name="Data">The encoded samples (possibly with a few unused bytes at the end).</param>
/// <param name="FirstTimestamp">Time of the first sample (Unix ms).</param>
/// <param name="LastTimestamp">Time of the last sample (Unix ms).</param>
/// <param name="Count">Samples held.</param>
internal readonly record struct SealedChunk(byte[] Data, long FirstTimestamp, long LastTimestamp, int Count)
{
    /// <summary>Adds the samples in [<paramref name="from"/>, <paramref name="to"/>] to <paramref name="into"/>.</summary>
    public void ReadInto(List<(long Timestamp, double Value)> into, long from, long to) => GorillaChunk.Decode(Data, Count, into, from, to);
}
