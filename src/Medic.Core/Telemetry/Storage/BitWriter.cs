namespace Medic.Core.Telemetry.Storage;

/// <summary>Appends bits to a growable byte array, most significant bit first.</summary>
internal struct BitWriter
{
    private byte[] _bytes;
    private int _bits;

    public BitWriter(int capacity) => _bytes = new byte[capacity];

    /// <summary>Bits written.</summary>
    public readonly int Length => _bits;

    /// <summary>The written bytes (the last one may be partly used).</summary>
    public readonly ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, (_bits + 7) / 8);

    /// <summary>Bytes held, used or not.</summary>
    public readonly int Capacity => _bytes.Length;

    public void Write(bool bit)
    {
        Ensure(1);
        if (bit)
        {
            _bytes[_bits >> 3] |= (byte)(0x80 >> (_bits & 7));
        }

        _bits++;
    }

    /// <summary>Writes the low <paramref name="count"/> bits of <paramref name="value"/>.</summary>
    public void Write(ulong value, int count)
    {
        Ensure(count);
        for (var i = count - 1; i >= 0; i--)
        {
            if (((value >> i) & 1) != 0)
            {
                _bytes[_bits >> 3] |= (byte)(0x80 >> (_bits & 7));
            }

            _bits++;
        }
    }

    /// <summary>Shrinks the buffer to what is used (a sealed chunk).</summary>
    public void Trim() => Array.Resize(ref _bytes, (_bits + 7) / 8);

    private void Ensure(int count)
    {
        if (((_bits + count + 7) / 8) > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, ((_bits + count + 7) / 8) + 8));
        }
    }
}

/// <summary>Reads bits written by <see cref="BitWriter"/>.</summary>
internal ref struct BitReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _bits;

    public bool ReadBit()
    {
        var bit = (_bytes[_bits >> 3] & (0x80 >> (_bits & 7))) != 0;
        _bits++;
        return bit;
    }

    public ulong Read(int count)
    {
        ulong value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | (ReadBit() ? 1UL : 0UL);
        }

        return value;
    }
}
