using System.Buffers.Binary;

namespace Medic.Core.Telemetry.Storage;

/// <summary>
/// Appends bit fields, most significant bit first, a 64-bit word at a time. The buffer keeps eight
/// bytes of room past the last bit written, so every write is one read-modify-write of a word.
/// </summary>
internal struct BitWriter(int capacity)
{
    /// <summary>Room kept past the last bit so a word can always be written.</summary>
    public const int Slack = 8;

    private byte[] _bytes = new byte[Math.Max(capacity, Slack + 1)];
    private int _bits;

    /// <summary>Bits written.</summary>
    public readonly int Length => _bits;

    /// <summary>Bytes holding the bits written.</summary>
    public readonly int UsedBytes => (_bits + 7) >> 3;

    /// <summary>The buffer (longer than <see cref="UsedBytes"/>).</summary>
    public readonly byte[] Buffer => _bytes;

    /// <summary>Writes one bit.</summary>
    public void Write(bool bit) => Write(bit ? 1UL : 0UL, 1);

    /// <summary>Writes the low <paramref name="count"/> bits (1 to 64) of <paramref name="value"/>.</summary>
    public void Write(ulong value, int count)
    {
        if (count > 56)
        {
            // A field that would straddle nine bytes goes in two writes.
            Write(value >> 32, count - 32);
            value &= 0xFFFF_FFFF;
            count = 32;
        }

        var index = _bits >> 3;
        if (index + Slack > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length + (_bytes.Length >> 1), index + Slack + 16));
        }

        var word = _bytes.AsSpan(index, 8);
        var bits = value & ((1UL << count) - 1);
        BinaryPrimitives.WriteUInt64BigEndian(word, BinaryPrimitives.ReadUInt64BigEndian(word) | (bits << (64 - (_bits & 7) - count)));
        _bits += count;
    }
}

/// <summary>Reads what <see cref="BitWriter"/> wrote, a word at a time.</summary>
internal ref struct BitReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _bits;

    /// <summary>Reads one bit.</summary>
    public bool ReadBit() => Read(1) != 0;

    /// <summary>Reads a field of <paramref name="count"/> bits (1 to 64).</summary>
    public ulong Read(int count)
    {
        if (count > 56)
        {
            var high = Read(count - 32);
            return (high << 32) | Read(32);
        }

        var index = _bits >> 3;
        ulong word;
        if (index + 8 <= _bytes.Length)
        {
            word = BinaryPrimitives.ReadUInt64BigEndian(_bytes[index..]);
        }
        else
        {
            Span<byte> tail = stackalloc byte[8];
            tail.Clear();
            _bytes[index..].CopyTo(tail);
            word = BinaryPrimitives.ReadUInt64BigEndian(tail);
        }

        var value = (word << (_bits & 7)) >> (64 - count);
        _bits += count;
        return value;
    }
}
