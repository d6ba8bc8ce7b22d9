using System.Numerics;

namespace Medic.Core.Telemetry.Storage;

/// <summary>
/// Samples of one series compressed as Gorilla does (Pelkonen et al., VLDB 2015): timestamps as
/// deltas of deltas in variable-length buckets (one bit for a regular interval), values as the XOR
/// with the previous value, storing only the bits that changed. Regular series take one to a few
/// bytes a sample. Timestamps are Unix milliseconds and must increase.
/// </summary>
public sealed class GorillaChunk
{
    private BitWriter _bits = new(32);
    private long _lastTimestamp;
    private long _lastDelta;
    private ulong _lastValue;
    private int _leading = int.MaxValue;
    private int _trailing;

    /// <summary>Samples in the chunk.</summary>
    public int Count { get; private set; }

    /// <summary>The first sample's time.</summary>
    public long FirstTimestamp { get; private set; }

    /// <summary>The last sample's time.</summary>
    public long LastTimestamp => _lastTimestamp;

    /// <summary>Bytes held.</summary>
    public int Bytes => _bits.Capacity;

    /// <summary>Appends a sample; false when its time is not after the last one (it is not stored).</summary>
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
            if (timestamp <= _lastTimestamp)
            {
                return false;
            }

            var delta = timestamp - _lastTimestamp;
            WriteDeltaOfDelta(delta - _lastDelta);
            _lastDelta = delta;
            WriteValue(bits ^ _lastValue);
        }

        _lastTimestamp = timestamp;
        _lastValue = bits;
        Count++;
        return true;
    }

    /// <summary>Frees the unused end of the buffer; call when the chunk is full.</summary>
    public void Seal() => _bits.Trim();

    /// <summary>The samples, in order.</summary>
    public IEnumerable<(long Timestamp, double Value)> Read()
    {
        var bytes = _bits.Bytes.ToArray();
        var count = Count;
        var result = new List<(long, double)>(count);
        var reader = new BitReader(bytes);
        var timestamp = (long)reader.Read(64);
        var value = reader.Read(64);
        result.Add((timestamp, BitConverter.UInt64BitsToDouble(value)));
        long delta = 0;
        int leading = 0, meaningful = 0;
        for (var i = 1; i < count; i++)
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

                var xor = reader.Read(meaningful) << (64 - leading - meaningful);
                value ^= xor;
            }

            result.Add((timestamp, BitConverter.UInt64BitsToDouble(value)));
        }

        return result;
    }

    private void WriteDeltaOfDelta(long dod)
    {
        switch (dod)
        {
            case 0:
                _bits.Write(false);
                break;
            case >= -63 and <= 64:
                _bits.Write(0b10, 2);
                _bits.Write((ulong)dod & 0x7F, 7);
                break;
            case >= -255 and <= 256:
                _bits.Write(0b110, 3);
                _bits.Write((ulong)dod & 0x1FF, 9);
                break;
            case >= -2047 and <= 2048:
                _bits.Write(0b1110, 4);
                _bits.Write((ulong)dod & 0xFFF, 12);
                break;
            default:
                _bits.Write(0b1111, 4);
                _bits.Write((ulong)dod, 64);
                break;
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

    private void WriteValue(ulong xor)
    {
        if (xor == 0)
        {
            _bits.Write(false);
            return;
        }

        _bits.Write(true);
        var leading = Math.Min(BitOperations.LeadingZeroCount(xor), 31);
        var trailing = BitOperations.TrailingZeroCount(xor);
        if (_leading != int.MaxValue && leading >= _leading && trailing >= _trailing)
        {
            // Fits in the previous window: reuse its position and length.
            _bits.Write(false);
            _bits.Write(xor >> _trailing, 64 - _leading - _trailing);
            return;
        }

        _bits.Write(true);
        var meaningful = 64 - leading - trailing;
        _bits.Write((ulong)leading, 5);
        _bits.Write((ulong)(meaningful - 1), 6);
        _bits.Write(xor >> trailing, meaningful);
        (_leading, _trailing) = (leading, trailing);
    }
}
