namespace Medic.Core.Logs.Drain;

/// <summary>The settings of the Drain parser (He et al., ICWS 2017), named as the paper and logparser name them.</summary>
public sealed record DrainOptions
{
    /// <summary>
    /// Depth of the prefix tree, counted as logparser counts it: the root, the length layer and
    /// the leaf make three, so depth 4 routes on the first token and depth 6 on the first three.
    /// Default 4.
    /// </summary>
    public int Depth { get; init; } = 4;

    /// <summary>Similarity a message needs with a cluster's template to join it, from 0 to 1. Default 0.5.</summary>
    public double SimilarityThreshold { get; init; } = 0.5;

    /// <summary>Most children of a tree node; beyond, tokens share the wildcard child. Default 100.</summary>
    public int MaxChildren { get; init; } = 100;

    /// <summary>
    /// Reproduce the reference implementation's handling of messages no longer than
    /// <c>Depth - 3</c> tokens: they never enter the tree, so each starts a cluster of its own and
    /// only identical messages share a template. Off by default; on for reproducing published numbers.
    /// </summary>
    public bool LegacyShortMessages { get; init; }
}
