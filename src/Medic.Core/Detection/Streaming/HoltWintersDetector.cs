using System.Runtime.InteropServices;

namespace Medic.Core.Detection.Streaming;

/// <summary>
/// Streaming anomaly detection for many series at once: additive Holt-Winters with a damped trend
/// per series, updated online, and robust residual scoring (<see cref="ResidualScoring"/>). Each series is a handle into flat
/// arrays (a small state record and its season as floats, about 1.2 KB at 288 values a season),
/// so a new value costs a few multiplications and two cache lines, and allocates nothing.
/// Values far outside the band update the model only as far as the band's edge, so an anomaly
/// does not teach the model that it is normal; a level shift that lasts is learnt, slowly.
/// Not thread-safe: one owner feeds it.
/// </summary>
public sealed class HoltWintersDetector
{
    private readonly StreamingOptions _options;
    private readonly int _period;
    private readonly Stack<int> _free = new();
    private State[] _states;
    private float[] _seasons;

    /// <summary>A detector for series modelled with <paramref name="options"/>, with room for <paramref name="capacity"/> before it grows.</summary>
    public HoltWintersDetector(StreamingOptions options, int capacity = 16)
    {
        _options = options;
        _period = Math.Max(1, options.Period);
        _states = new State[Math.Max(1, capacity)];
        _seasons = new float[_states.Length * _period];
    }

    /// <summary>Handles in use.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes of state held per series: the state record and the season.</summary>
    public int BytesPerSeries => Marshal.SizeOf<State>() + (_period * sizeof(float));

    /// <summary>A handle for a new series (reusing one given back by <see cref="Release"/>).</summary>
    public int Add()
    {
        if (_free.TryPop(out var handle))
        {
            return handle;
        }

        handle = Count++;
        if (handle == _states.Length)
        {
            Array.Resize(ref _states, _states.Length * 2);
            Array.Resize(ref _seasons, _states.Length * _period);
        }

        return handle;
    }

    /// <summary>Forgets a series (it went quiet); its handle is reused.</summary>
    public void Release(int handle)
    {
        _states[handle] = default;
        _seasons.AsSpan(handle * _period, _period).Clear();
        _free.Push(handle);
    }

    /// <summary>Judges the series' next value, taken at <paramref name="timestamp"/> (any clock, e.g. Unix ms), then learns from it.</summary>
    public Verdict Observe(int handle, double value, long timestamp = 0)
    {
        ref var state = ref _states[handle];
        var season = _seasons.AsSpan(handle * _period, _period);
        if (state.Seen < _period)
        {
            Learn(ref state, season, value);
            return new Verdict(0, 0, value, value, value, SignalChange.None, 0, timestamp);
        }

        var phase = state.Phase;
        var forecast = state.Level + (_options.Phi * state.Trend) + season[phase];
        var confidence = Math.Min(1.0, (state.Seen - _period) / (double)(3 * _period));
        var verdict = state.Residuals.Judge(value, forecast, timestamp, _options, state.Seen >= _options.WarmUp, confidence, out var used);

        // Learn from the value as far as the band's edge only.
        var adjusted = forecast + used;
        var level = (_options.Alpha * (adjusted - season[phase])) + ((1 - _options.Alpha) * (state.Level + (_options.Phi * state.Trend)));
        state.Trend = (_options.Beta * (level - state.Level)) + ((1 - _options.Beta) * _options.Phi * state.Trend);
        state.Level = level;
        season[phase] = (float)((_options.Gamma * (adjusted - level)) + ((1 - _options.Gamma) * season[phase]));
        state.Phase = phase + 1 == _period ? 0 : phase + 1;
        state.Seen++;
        return verdict;
    }

    /// <summary>Writes every series' state, so that <see cref="Restore(Stream, StreamingOptions)"/> continues exactly where this left off.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Save(writer);
    }

    /// <summary>A detector with the state <see cref="Save(Stream)"/> wrote; its options must be the same.</summary>
    public static HoltWintersDetector Restore(Stream stream, StreamingOptions options)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        return Restore(reader, options);
    }

    internal void Save(BinaryWriter writer)
    {
        writer.Write(_period);
        writer.Write(Count);
        writer.Write(_free.Count);
        foreach (var handle in _free.Reverse())
        {
            writer.Write(handle);
        }

        writer.Write(MemoryMarshal.AsBytes(_states.AsSpan(0, Count)));
        writer.Write(MemoryMarshal.AsBytes(_seasons.AsSpan(0, Count * _period)));
    }

    internal static HoltWintersDetector Restore(BinaryReader reader, StreamingOptions options)
    {
        var period = reader.ReadInt32();
        if (period != Math.Max(1, options.Period))
        {
            throw new InvalidDataException($"the saved detector state has a period of {period}, the options {options.Period}");
        }

        var count = reader.ReadInt32();
        var detector = new HoltWintersDetector(options, Math.Max(count, 16)) { Count = count };
        var free = reader.ReadInt32();
        for (var i = 0; i < free; i++)
        {
            detector._free.Push(reader.ReadInt32());
        }

        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(detector._states.AsSpan(0, count)));
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(detector._seasons.AsSpan(0, count * period)));
        return detector;
    }

    /// <summary>The first season: the values themselves, then their mean as the level and their offsets from it as the season.</summary>
    private void Learn(ref State state, Span<float> season, double value)
    {
        season[state.Phase] = (float)value;
        state.Level += (value - state.Level) / (state.Seen + 1);
        state.Seen++;
        state.Phase = state.Phase + 1 == _period ? 0 : state.Phase + 1;
        if (state.Seen == _period)
        {
            for (var i = 0; i < _period; i++)
            {
                season[i] = (float)(season[i] - state.Level);
            }
        }
    }

    /// <summary>One series: level, trend, the residual's centre and spread, where it is in its season, and its signal.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct State
    {
        public double Level;
        public double Trend;
        public ResidualScoring Residuals;
        public int Seen;
        public int Phase;
    }
}
