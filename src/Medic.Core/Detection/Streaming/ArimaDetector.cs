namespace Medic.Core.Detection.Streaming;

/// <summary>
/// One series judged by ARIMA: fitted by conditional least squares on a window of recent values,
/// refitted every <c>refitEvery</c> values, and used as a one-step forecaster whose residuals get
/// the shared robust scoring (<see cref="ResidualScoring"/>). Values far outside the band enter
/// the window, and the model's error terms, clamped to the band's edge, so an anomaly neither
/// drags the forecast nor teaches the next fit that it is normal.
/// </summary>
public sealed class ArimaDetector(ArimaOrder order, StreamingOptions options, int window = 500, int refitEvery = 100)
{
    private readonly double[] _values = new double[Math.Max(window, order.Lost + 1)];
    private readonly double[] _differenced = new double[Math.Max(1, order.P)];
    private readonly double[] _errors = new double[Math.Max(1, order.Q)];
    private readonly double[] _difference = ArimaModel.DifferencePolynomial(order);
    private ResidualScoring _residuals;
    private int _seen;
    private int _sinceFit;

    /// <summary>The model in use, or null until the window is full.</summary>
    public ArimaModel? Model { get; private set; }

    /// <summary>Judges the next value, taken at <paramref name="timestamp"/>, then learns from it.</summary>
    public Verdict Observe(double value, long timestamp = 0)
    {
        Verdict verdict;
        double adjusted, error, differenced;
        if (Model is { } model)
        {
            var forecastDifferenced = model.Intercept;
            for (var i = 0; i < order.P; i++)
            {
                forecastDifferenced += model.Ar[i] * _differenced[i];
            }

            for (var j = 0; j < order.Q; j++)
            {
                forecastDifferenced += model.Ma[j] * _errors[j];
            }

            // Undo the differencing: y_t = w_t − Σ a_k y_{t−k}.
            var forecast = forecastDifferenced;
            for (var k = 0; k < _difference.Length; k++)
            {
                forecast -= _difference[k] * Recent(k);
            }

            var confidence = Math.Min(1.0, _seen / (2.0 * _values.Length));
            verdict = _residuals.Judge(value, forecast, timestamp, options, ready: true, confidence, out var used);
            (adjusted, error, differenced) = (forecast + used, used, forecastDifferenced + used);
        }
        else
        {
            verdict = new Verdict(0, 0, value, value, value, SignalChange.None, 0, timestamp);
            (adjusted, error, differenced) = (value, 0, Differenced(value));
        }

        Push(_differenced, differenced);
        Push(_errors, error);
        _values[_seen % _values.Length] = adjusted;
        _seen++;
        if (_seen >= _values.Length && (Model is null || ++_sinceFit >= refitEvery))
        {
            Model = ArimaModel.Fit(Window(), order) ?? Model;
            _sinceFit = 0;
        }

        return verdict;
    }

    internal void Save(BinaryWriter writer)
    {
        DetectorCheckpoint.Write(writer, _values);
        DetectorCheckpoint.Write(writer, _differenced);
        DetectorCheckpoint.Write(writer, _errors);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<ResidualScoring>(in _residuals)));
        writer.Write(_seen);
        writer.Write(_sinceFit);
        writer.Write(Model is not null);
        if (Model is { } model)
        {
            writer.Write(model.Intercept);
            DetectorCheckpoint.Write(writer, model.Ar);
            DetectorCheckpoint.Write(writer, model.Ma);
            writer.Write(model.Sigma);
        }
    }

    internal void Restore(BinaryReader reader)
    {
        DetectorCheckpoint.ReadDoubles(reader).CopyTo(_values, 0);
        DetectorCheckpoint.ReadDoubles(reader).CopyTo(_differenced, 0);
        DetectorCheckpoint.ReadDoubles(reader).CopyTo(_errors, 0);
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new Span<ResidualScoring>(ref _residuals)));
        _seen = reader.ReadInt32();
        _sinceFit = reader.ReadInt32();
        Model = reader.ReadBoolean()
            ? new ArimaModel(order, reader.ReadDouble(), DetectorCheckpoint.ReadDoubles(reader), DetectorCheckpoint.ReadDoubles(reader), reader.ReadDouble())
            : null;
    }

    /// <summary>The value <paramref name="back"/> + 1 values ago.</summary>
    private double Recent(int back) => _values[((_seen - 1 - back) % _values.Length + _values.Length) % _values.Length];

    /// <summary>w for a value before there is a model: the differencing applied to it (0 until enough values are known).</summary>
    private double Differenced(double value)
    {
        if (_seen < order.Lost)
        {
            return 0;
        }

        var w = value;
        for (var k = 0; k < _difference.Length; k++)
        {
            w += _difference[k] * Recent(k);
        }

        return w;
    }

    private double[] Window()
    {
        var ordered = new double[_values.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            ordered[i] = Recent(ordered.Length - 1 - i);
        }

        return ordered;
    }

    /// <summary>Shifts the history one place back and puts <paramref name="value"/> first (lag 1).</summary>
    private static void Push(double[] history, double value)
    {
        Array.Copy(history, 0, history, 1, history.Length - 1);
        history[0] = value;
    }
}
