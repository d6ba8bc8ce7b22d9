namespace Medic.Core.Detection;

/// <summary>
/// How one metric is judged: the anomaly type it raises, the direction that matters and the
/// practical-significance floors that keep a statistically odd but harmless wiggle quiet.
/// </summary>
/// <param name="AnomalyType">The signal type raised, e.g. <c>HighErrorRate</c>.</param>
/// <param name="Direction">Which deviations count.</param>
/// <param name="MinValue">An upward anomaly also needs the value to reach this (e.g. 2% errors). Default: no floor.</param>
/// <param name="MinRelativeChange">The value must differ from normal by at least this fraction of normal. Default 0.</param>
public sealed record MetricRule(
    string AnomalyType,
    Direction Direction,
    double MinValue = double.NegativeInfinity,
    double MinRelativeChange = 0);
