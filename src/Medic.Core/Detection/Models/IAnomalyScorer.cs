namespace Medic.Core.Detection.Models;

/// <summary>A streaming anomaly model of one series: each value updates it and gets a score in [0,1].</summary>
public interface IAnomalyScorer
{
    /// <summary>Scores <paramref name="value"/> against what came before, then learns from it.</summary>
    double Observe(double value);
}
