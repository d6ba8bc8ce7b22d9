using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Medic.Adapters.Ingest;

/// <summary>
/// Reads the protobuf wire format from a span without allocating: tags, varints, fixed 64-bit
/// fields and length-delimited fields (as sub-spans). Throws <see cref="InvalidDataException"/>
/// on truncated or malformed input.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>Reads a field's tag: its number and wire type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = (int)(tag >> 3);
        if (field <= 0)
        {
            InvalidField(field);
        }

        return (field, (int)(tag & 7));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        // Tags and lengths under 128 are one byte: the common case is inlined, the rest is not.
        if ((uint)_position < (uint)_data.Length && _data[_position] < 0x80)
        {
            return _data[_position++];
        }

        return ReadLongVarint();
    }

    private ulong ReadLongVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new InvalidDataException("the message ends inside a varint (truncated?)");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException($"a varint longer than 10 bytes at byte {_position}");
    }

    public double ReadDouble() => BitConverter.Int64BitsToDouble((long)ReadFixed64());

    public ulong ReadFixed64()
    {
        if (_position + 8 > _data.Length)
        {
            throw new InvalidDataException("the message ends inside a 64-bit field (truncated?)");
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBytes()
    {
        var start = SkipBytes();
        return _data[start.._position];
    }

    /// <summary>Reads a length-delimited field and returns where it lies in the data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Range ReadRange()
    {
        var start = SkipBytes();
        return new Range(start, _position);
    }

    /// <summary>Skips a field of the given wire type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int wireType)
    {
        if (wireType == 2)
        {
            SkipBytes();
        }
        else
        {
            SkipOther(wireType);
        }
    }

    /// <summary>Skips a length-delimited field; returns where its bytes start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SkipBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            PastTheEnd(length);
        }

        var start = _position;
        _position += (int)length;
        return start;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PastTheEnd(ulong length) =>
        throw new InvalidDataException($"a field of {length} bytes runs past the end of the message (truncated?)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void InvalidField(int field) =>
        throw new InvalidDataException($"invalid field number {field} at byte {_position}");

    private void SkipOther(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                ReadFixed64();
                break;
            case 5:
                if (_position + 4 > _data.Length)
                {
                    throw new InvalidDataException("the message ends inside a 32-bit field (truncated?)");
                }

                _position += 4;
                break;
            default:
                throw new InvalidDataException($"unsupported wire type {wireType} at byte {_position}");
        }
    }
}
