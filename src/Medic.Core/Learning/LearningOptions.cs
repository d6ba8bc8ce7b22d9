using Medic.Core.Policy;

namespace Medic.Core.Learning;

/// <summary>Settings of the learner that picks among playbooks that all match an incident.</summary>
public sealed class LearningOptions
{
    /// <summary>Whether Medic learns which playbook works. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Exploration never tries a playbook above this risk. Default medium.</summary>
    public Risk RiskCeiling { get; set; } = Risk.Medium;

    /// <summary>
    /// The prior's head start for the playbook the priorities put first: Beta(1 + this, 1) against
    /// Beta(1, 1) for the rest, so the author's order holds until outcomes say otherwise. Default 1.
    /// </summary>
    public double PriorityHeadStart { get; set; } = 1;

    /// <summary>How many times a made-worse outcome counts as a failure. Default 3.</summary>
    public double HarmWeight { get; set; } = 3;

    /// <summary>Draws used to estimate the probability that Thompson sampling picks each playbook (its logged propensity). Default 1,000.</summary>
    public int PropensityDraws { get; set; } = 1_000;

    /// <summary>Seeds the sampling, for runs that must repeat (game days). Default: a random seed.</summary>
    public int? Seed { get; set; }
}
