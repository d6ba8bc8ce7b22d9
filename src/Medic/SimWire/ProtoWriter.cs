using System.Buffers;

namespace Medic.SimWire;

/// <summary>The few protobuf encodings Medic writes by hand (remote_write requests it sends): tags, varints, length-delimited fields.</summary>
internal static class ProtoWriter
{
    public static void Tag(IBufferWriter<byte> writer, int field, int wire) => Varint(writer, (ulong)((field << 3) | wire));

    /// <summary>A length-delimited field (wire type 2).</summary>
    public static void Bytes(IBufferWriter<byte> writer, int field, ReadOnlySpan<byte> bytes)
    {
        Tag(writer, field, 2);
        Varint(writer, (ulong)bytes.Length);
        writer.Write(bytes);
    }

    public static void Varint(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        writer.Advance(n);
    }
}
