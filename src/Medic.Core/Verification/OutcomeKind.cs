namespace Medic.Core.Verification;

/// <summary>What a run did to the incident.</summary>
public enum OutcomeKind
{
    /// <summary>The SLO series came back to their pre-incident baseline and the trigger did not recur.</summary>
    Recovered,

    /// <summary>The window closed without recovery, or the trigger recurred.</summary>
    NotRecovered,

    /// <summary>The SLO series ended further from baseline than they were before the run.</summary>
    MadeWorse,
}
