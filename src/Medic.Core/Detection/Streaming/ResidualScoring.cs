using System.Runtime.InteropServices;

namespace Medic.Core.Detection.Streaming;

/// <summary>
/// The robust residual scoring every streaming model shares: the residual (value − forecast) is
/// judged against its own centre and spread, learnt from normal values only, each counted at
/// most two standard deviations out, so neither an anomaly nor a drift widens the band until it
/// fits; then the score, the band and the signal's hysteresis. A value type, kept inline in each
/// model's per-series state.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ResidualScoring
{
    // For normal residuals the standard deviation is √(π/2) times the mean absolute deviation.
    private const double AbsoluteDeviationToSigma = 1.2533141373155;

    // About two hundred values of memory for the residual's centre and spread once warmed up.
    private const double Smoothing = 0.005;

    private long _runStart;
    private float _center;
    private float _deviation;
    private int _learnt;
    private short _abnormal;
    private short _normal;
    private short _run;
    private bool _open;

    /// <summary>Judges <paramref name="value"/> against <paramref name="forecast"/>, then learns from it.</summary>
    /// <param name="value">The value.</param>
    /// <param name="forecast">What the model forecast for it.</param>
    /// <param name="timestamp">When it was taken (any clock), for the onset of a run.</param>
    /// <param name="options">Sensitivity and durations.</param>
    /// <param name="ready">Whether the model has warmed up enough to be judged by.</param>
    /// <param name="confidence">How well the model knows the series, 0 to 1.</param>
    /// <param name="used">The residual clamped to the band: what the model should learn from, so that an anomaly does not teach it that it is normal.</param>
    public Verdict Judge(double value, double forecast, long timestamp, StreamingOptions options, bool ready, double confidence, out double used)
    {
        var residual = value - forecast;
        var sigma = AbsoluteDeviationToSigma * _deviation;
        var judged = ready && sigma > 0;
        var z = judged ? (residual - _center) / sigma : 0;
        var band = options.Sensitivity * sigma;
        var expected = forecast + _center;
        used = judged ? Math.Clamp(residual, _center - band, _center + band) : residual;

        var abnormal = Math.Abs(z) >= options.Sensitivity;
        if (!abnormal)
        {
            var smoothing = Math.Max(Smoothing, 1.0 / (_learnt + 2));
            var cap = judged ? 2 * sigma : double.PositiveInfinity;
            var centred = Math.Clamp(used - _center, -cap, cap);
            _center += (float)(smoothing * centred);
            _deviation += (float)(smoothing * (Math.Abs(centred) - _deviation));
            _learnt = Math.Min(_learnt + 1, int.MaxValue - 1);
        }

        var change = Hysteresis(abnormal, timestamp, options);
        var score = z * z / ((z * z) + (options.Sensitivity * options.Sensitivity));
        return new Verdict(score, judged ? confidence : 0, expected, expected - band, expected + band, change, change == SignalChange.Opened ? _run - 1 : 0, change == SignalChange.Opened ? _runStart : timestamp);
    }

    /// <summary>
    /// A run starts with an abnormal value and lasts until <see cref="StreamingOptions.RecoveryDuration"/>
    /// normal values in a row; it opens a signal once it holds <see cref="StreamingOptions.MinimumDuration"/>
    /// abnormal values, and the signal closes with the run. A flapping series is one run, one signal.
    /// </summary>
    private SignalChange Hysteresis(bool abnormal, long timestamp, StreamingOptions options)
    {
        if (_abnormal > 0)
        {
            _run = (short)Math.Min(_run + 1, short.MaxValue);
        }

        if (abnormal)
        {
            _normal = 0;
            _abnormal = (short)Math.Min(_abnormal + 1, short.MaxValue);
            if (_run == 0)
            {
                (_run, _runStart) = (1, timestamp);
            }

            if (!_open && _abnormal >= options.MinimumDuration)
            {
                _open = true;
                return SignalChange.Opened;
            }

            return SignalChange.None;
        }

        _normal = (short)Math.Min(_normal + 1, short.MaxValue);
        if (_normal < options.RecoveryDuration || _abnormal == 0)
        {
            return SignalChange.None;
        }

        (_abnormal, _run) = (0, 0);
        if (_open)
        {
            _open = false;
            return SignalChange.Closed;
        }

        return SignalChange.None;
    }
}
