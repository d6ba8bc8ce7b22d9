using Medic.Core.Telemetry;

namespace Medic.Core.Detection;

/// <summary>
/// The binary form of detector state (little-endian, versioned): series keys, windows and
/// models written exactly, so a restored detector scores every later value bit for bit as the
/// one that was saved would have.
/// </summary>
internal static class DetectorCheckpoint
{
    /// <summary>"MDET" and the format version.</summary>
    public const int Magic = 0x5445444D;

    public const int Version = 2;

    public static void Write(BinaryWriter writer, SeriesKey key)
    {
        writer.Write(key.Name);
        writer.Write(key.Labels.Count);
        foreach (var (name, value) in key.Labels)
        {
            writer.Write(name);
            writer.Write(value);
        }
    }

    public static SeriesKey ReadKey(BinaryReader reader)
    {
        var name = reader.ReadString();
        var count = reader.ReadInt32();
        var labels = new KeyValuePair<string, string>[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = KeyValuePair.Create(reader.ReadString(), reader.ReadString());
        }

        return new SeriesKey(name, labels);
    }

    /// <summary>A window's values, oldest first: pushed again in that order they give the same window.</summary>
    public static void Write(BinaryWriter writer, RollingWindow window)
    {
        writer.Write(window.Count);
        for (var back = window.Count - 1; back >= 0; back--)
        {
            writer.Write(window.Recent(back));
        }
    }

    public static void Read(BinaryReader reader, RollingWindow window)
    {
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            window.Push(reader.ReadDouble());
        }
    }

    public static void Write(BinaryWriter writer, double[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    public static double[] ReadDoubles(BinaryReader reader)
    {
        var values = new double[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadDouble();
        }

        return values;
    }
}
