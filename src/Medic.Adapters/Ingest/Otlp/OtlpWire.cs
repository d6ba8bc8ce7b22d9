using System.Globalization;
using System.Text;

namespace Medic.Adapters.Ingest.Otlp;

/// <summary>
/// OTLP's common messages read from their bytes: <c>KeyValue { 1 key, 2 value }</c> and
/// <c>AnyValue { 1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist, 7 bytes }</c>, checked for
/// well-formedness and rendered as label text exactly as <see cref="OtlpLabels.Text"/> renders the
/// decoded message.
/// </summary>
internal static class OtlpWire
{
    /// <summary>Deepest nesting of arrays and key-value lists accepted in an attribute value.</summary>
    public const int MaxDepth = 16;

    /// <summary>Checks a KeyValue message, nested values included; throws <see cref="InvalidDataException"/> when malformed.</summary>
    public static void CheckKeyValue(ReadOnlySpan<byte> keyValue, int depth = 0)
    {
        var reader = new ProtoReader(keyValue);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 2 && wire == 2)
            {
                CheckAnyValue(reader.ReadBytes(), depth);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    /// <summary>The key and the value's bytes of a KeyValue message.</summary>
    public static void KeyValue(ReadOnlySpan<byte> keyValue, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        key = default;
        value = default;
        var reader = new ProtoReader(keyValue);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                key = reader.ReadBytes();
            }
            else if (field == 2 && wire == 2)
            {
                value = reader.ReadBytes();
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    /// <summary>An AnyValue message as label text.</summary>
    public static string Text(ReadOnlySpan<byte> anyValue)
    {
        var text = new StringBuilder();
        Append(text, anyValue);
        return text.ToString();
    }

    private static void CheckAnyValue(ReadOnlySpan<byte> anyValue, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new InvalidDataException($"an attribute value nests arrays or lists more than {MaxDepth} deep");
        }

        var reader = new ProtoReader(anyValue);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field is 5 or 6 && wire == 2)
            {
                var inner = new ProtoReader(reader.ReadBytes());
                while (!inner.End)
                {
                    var (f, w) = inner.ReadTag();
                    if (f == 1 && w == 2)
                    {
                        if (field == 5)
                        {
                            CheckAnyValue(inner.ReadBytes(), depth + 1);
                        }
                        else
                        {
                            CheckKeyValue(inner.ReadBytes(), depth + 1);
                        }
                    }
                    else
                    {
                        inner.Skip(w);
                    }
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static void Append(StringBuilder text, ReadOnlySpan<byte> anyValue)
    {
        // The last value field wins, as it does for a oneof.
        var reader = new ProtoReader(anyValue);
        int kind = 0;
        ReadOnlySpan<byte> bytes = default;
        ulong number = 0;
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1 or 5 or 6 or 7, 2):
                    kind = field;
                    bytes = reader.ReadBytes();
                    break;
                case (2 or 3, 0):
                    (kind, number) = (field, reader.ReadVarint());
                    break;
                case (4, 1):
                    (kind, number) = (field, reader.ReadFixed64());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        switch (kind)
        {
            case 1:
                text.Append(Encoding.UTF8.GetString(bytes));
                break;
            case 2:
                text.Append(number != 0 ? "true" : "false");
                break;
            case 3:
                text.Append(((long)number).ToString(CultureInfo.InvariantCulture));
                break;
            case 4:
                text.Append(BitConverter.UInt64BitsToDouble(number).ToString("R", CultureInfo.InvariantCulture));
                break;
            case 5 or 6:
                text.Append(kind == 5 ? '[' : '{');
                var inner = new ProtoReader(bytes);
                var first = true;
                while (!inner.End)
                {
                    var (f, w) = inner.ReadTag();
                    if (f != 1 || w != 2)
                    {
                        inner.Skip(w);
                        continue;
                    }

                    text.Append(first ? "" : ",");
                    first = false;
                    if (kind == 5)
                    {
                        Append(text, inner.ReadBytes());
                    }
                    else
                    {
                        KeyValue(inner.ReadBytes(), out var key, out var value);
                        text.Append(Encoding.UTF8.GetString(key)).Append('=');
                        Append(text, value);
                    }
                }

                text.Append(kind == 5 ? ']' : '}');
                break;
            case 7:
                text.Append(Convert.ToHexStringLower(bytes));
                break;
        }
    }
}
