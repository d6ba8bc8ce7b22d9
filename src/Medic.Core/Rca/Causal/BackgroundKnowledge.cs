namespace Medic.Core.Rca.Causal;

/// <summary>
/// What is known about causal directions before looking at the data: edges that cannot point a
/// given way (a metric cannot cause the deploy that preceded it), edges that must, and tiers in
/// time order. The PC algorithm orients by it before any collider and keeps it through Meek's rules.
/// Contradictory knowledge is refused when it is declared.
/// </summary>
public sealed class BackgroundKnowledge
{
    private readonly HashSet<(int From, int To)> _forbidden = [];
    private readonly HashSet<(int From, int To)> _required = [];
    private readonly Dictionary<int, int> _tiers = [];

    /// <summary>The largest variable index mentioned, or −1 when nothing is known.</summary>
    internal int HighestVariable { get; private set; } = -1;

    /// <summary>
    /// No edge may be oriented <paramref name="from"/>→<paramref name="to"/>: if the edge is found
    /// it is oriented the other way. When both directions are forbidden the edge is never tested.
    /// </summary>
    /// <returns>This, to chain declarations.</returns>
    /// <exception cref="ArgumentException">The direction is required.</exception>
    public BackgroundKnowledge Forbid(int from, int to)
    {
        Check(from, to);
        if (_required.Contains((from, to)))
        {
            throw new ArgumentException($"{from}→{to} is required, so it cannot be forbidden");
        }

        _forbidden.Add((from, to));
        HighestVariable = Math.Max(HighestVariable, Math.Max(from, to));
        return this;
    }

    /// <summary>If <paramref name="from"/> and <paramref name="to"/> are found adjacent, the edge is oriented <paramref name="from"/>→<paramref name="to"/>.</summary>
    /// <returns>This, to chain declarations.</returns>
    /// <exception cref="ArgumentException">The direction is forbidden, or the opposite one required.</exception>
    public BackgroundKnowledge Require(int from, int to)
    {
        Check(from, to);
        if (IsForbidden(from, to))
        {
            throw new ArgumentException($"{from}→{to} is forbidden, so it cannot be required");
        }

        if (_required.Contains((to, from)))
        {
            throw new ArgumentException($"{to}→{from} is required, so {from}→{to} cannot be");
        }

        _required.Add((from, to));
        HighestVariable = Math.Max(HighestVariable, Math.Max(from, to));
        return this;
    }

    /// <summary>
    /// Places <paramref name="variables"/> in tier <paramref name="tier"/> of a time order: a variable
    /// of a later tier cannot cause one of an earlier tier. Variables of one tier may cause each other.
    /// </summary>
    /// <returns>This, to chain declarations.</returns>
    /// <exception cref="ArgumentException">A variable is already in another tier, or a required edge would point back in time.</exception>
    public BackgroundKnowledge Tier(int tier, params int[] variables)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tier);
        foreach (var variable in variables)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(variable, nameof(variables));
            if (_tiers.TryGetValue(variable, out var existing) && existing != tier)
            {
                throw new ArgumentException($"variable {variable} is already in tier {existing}", nameof(variables));
            }
        }

        int? TierOf(int variable) => variables.Contains(variable) ? tier : _tiers.TryGetValue(variable, out var t) ? t : null;
        foreach (var (from, to) in _required.Where(edge => TierOf(edge.From) > TierOf(edge.To)))
        {
            throw new ArgumentException($"{from}→{to} is required but would point from a later tier to an earlier one", nameof(variables));
        }

        foreach (var variable in variables)
        {
            _tiers[variable] = tier;
            HighestVariable = Math.Max(HighestVariable, variable);
        }

        return this;
    }

    /// <summary>Whether an edge may not be oriented <paramref name="from"/>→<paramref name="to"/>, explicitly or by the tiers.</summary>
    public bool IsForbidden(int from, int to) =>
        _forbidden.Contains((from, to))
        || (_tiers.TryGetValue(from, out var fromTier) && _tiers.TryGetValue(to, out var toTier) && fromTier > toTier);

    /// <summary>Whether an edge between the two must be oriented <paramref name="from"/>→<paramref name="to"/>.</summary>
    public bool IsRequired(int from, int to) => _required.Contains((from, to));

    private static void Check(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfNegative(to);
        if (from == to)
        {
            throw new ArgumentException($"an edge needs two different variables, not {from} twice");
        }
    }
}
