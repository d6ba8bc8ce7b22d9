using System.Buffers.Binary;

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

    /// <summary>Reads a field's tag: its number and wire type.</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = (int)(tag >> 3);
        if (field <= 0)
        {
            throw new InvalidDataException($"invalid field number {field} at byte {_position}");
        }

        return (field, (int)(tag & 7));
    }

    public ulong ReadVarint()
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

    public ReadOnlySpan<byte> ReadBytes() => _data[ReadRange()];

    /// <summary>Reads a length-delimited field and returns where it lies in the data.</summary>
    public Range ReadRange()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new InvalidDataException($"a field of {length} bytes runs past the end of the message (truncated?)");
        }

        var start = _position;
        _position += (int)length;
        return new Range(start, _position);
    }

    /// <summary>Skips a field of the given wire type.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                ReadFixed64();
                break;
            case 2:
                ReadBytes();
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
