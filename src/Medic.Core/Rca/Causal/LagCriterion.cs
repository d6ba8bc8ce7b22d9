namespace Medic.Core.Rca.Causal;

/// <summary>How a Granger test chooses its lag: the information criterion minimised over the candidate lags.</summary>
public enum LagCriterion
{
    /// <summary>Akaike's: n·ln det Σ̂ + 2k. Leans to longer lags: misses less of a slow influence, but finds more that is not there.</summary>
    Aic,

    /// <summary>Schwarz's Bayesian: n·ln det Σ̂ + k·ln n. Leans to shorter lags; consistent for the true order.</summary>
    Bic,
}
