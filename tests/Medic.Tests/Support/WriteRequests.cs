using System.Buffers.Binary;
using System.Text;

namespace Medic.Tests.Support;

/// <summary>Builds Prometheus remote_write WriteRequest bodies byte by byte, as Prometheus encodes them.</summary>
internal static class WriteRequests
{
    public static byte[] Request(params byte[][] series)
    {
        var body = new List<byte>();
        foreach (var s in series)
        {
            Field(body, 1, s);
        }

        return [.. body];
    }

    public static byte[] Series((string Name, string Value)[] labels, params (long Timestamp, double Value)[] samples) =>
        Series(labels.Select(l => (Encoding.UTF8.GetBytes(l.Name), Encoding.UTF8.GetBytes(l.Value))).ToArray(), samples);

    public static byte[] Series((byte[] Name, byte[] Value)[] labels, params (long Timestamp, double Value)[] samples)
    {
        var body = new List<byte>();
        foreach (var (name, value) in labels)
        {
            var label = new List<byte>();
            Field(label, 1, name);
            Field(label, 2, value);
            Field(body, 1, [.. label]);
        }

        foreach (var (timestamp, value) in samples)
        {
            var sample = new List<byte> { 0x09 };
            var bits = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bits, BitConverter.DoubleToInt64Bits(value));
            sample.AddRange(bits);
            sample.Add(0x10);
            Varint(sample, (ulong)timestamp);
            Field(body, 2, [.. sample]);
        }

        return [.. body];
    }

    public static byte[] Snappy(byte[] message) => Snappier.Snappy.CompressToArray(message);

    private static void Field(List<byte> into, int number, byte[] bytes)
    {
        Varint(into, (ulong)((number << 3) | 2));
        Varint(into, (ulong)bytes.Length);
        into.AddRange(bytes);
    }

    private static void Varint(List<byte> into, ulong value)
    {
        while (value >= 0x80)
        {
            into.Add((byte)(value | 0x80));
            value >>= 7;
        }

        into.Add((byte)value);
    }
}
