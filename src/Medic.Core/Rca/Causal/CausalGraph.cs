namespace Medic.Core.Rca.Causal;

/// <summary>
/// A partially directed graph over variables 0..n−1, as the PC algorithm returns it (a CPDAG, possibly
/// with more edges oriented by background knowledge): every edge is either directed (a cause and
/// its effect) or undirected (the data could not tell which way it goes). Immutable.
/// </summary>
public sealed class CausalGraph
{
    // _toward[a, b]: an edge joins a and b and it may point at b (a→b or a−b). Directed a→b is
    // _toward[a, b] without _toward[b, a]; one matrix can hold no bidirected or conflicting edge.
    private readonly bool[,] _toward;
    private readonly int[][] _parents;
    private readonly int[][] _children;
    private readonly int[][] _neighbours;

    internal CausalGraph(bool[,] toward)
    {
        _toward = (bool[,])toward.Clone();
        Count = toward.GetLength(0);
        _parents = new int[Count][];
        _children = new int[Count][];
        _neighbours = new int[Count][];
        for (var node = 0; node < Count; node++)
        {
            var n = node;
            var others = Enumerable.Range(0, Count).Where(other => other != n);
            _parents[node] = [.. others.Where(other => IsDirected(other, n))];
            _children[node] = [.. others.Where(other => IsDirected(n, other))];
            _neighbours[node] = [.. others.Where(other => IsAdjacent(n, other))];
        }
    }

    /// <summary>Variables in the graph.</summary>
    public int Count { get; }

    /// <summary>Every directed edge, ordered by cause then effect.</summary>
    public IEnumerable<(int From, int To)> DirectedEdges =>
        from a in Enumerable.Range(0, Count)
        from b in _children[a]
        select (a, b);

    /// <summary>Every undirected edge once, with A &lt; B.</summary>
    public IEnumerable<(int A, int B)> UndirectedEdges =>
        from a in Enumerable.Range(0, Count)
        from b in _neighbours[a]
        where a < b && IsUndirected(a, b)
        select (a, b);

    /// <summary>
    /// A graph from its edges: for causal structure known otherwise (a service graph, say) or for tests.
    /// </summary>
    /// <param name="count">Variables in the graph.</param>
    /// <param name="directed">Edges from a cause to its effect.</param>
    /// <param name="undirected">Edges whose direction is unknown.</param>
    /// <exception cref="ArgumentException">An edge joins a variable to itself, names one out of range, or contradicts another edge.</exception>
    public static CausalGraph FromEdges(int count, IEnumerable<(int From, int To)> directed, IEnumerable<(int A, int B)>? undirected = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var toward = new bool[count, count];
        var seen = new bool[count, count];
        void Add(int a, int b, bool both)
        {
            if (a < 0 || b < 0 || a >= count || b >= count || a == b)
            {
                throw new ArgumentException($"the edge ({a}, {b}) needs two different variables in 0..{count - 1}");
            }

            var same = toward[a, b] && toward[b, a] == both;
            if (seen[a, b] && !same)
            {
                throw new ArgumentException($"the edge between {a} and {b} is given two different ways");
            }

            (seen[a, b], seen[b, a]) = (true, true);
            (toward[a, b], toward[b, a]) = (true, both);
        }

        foreach (var (from, to) in directed)
        {
            Add(from, to, both: false);
        }

        foreach (var (a, b) in undirected ?? [])
        {
            Add(a, b, both: true);
        }

        return new CausalGraph(toward);
    }

    /// <summary>Whether an edge of any kind joins <paramref name="a"/> and <paramref name="b"/>.</summary>
    public bool IsAdjacent(int a, int b) => _toward[a, b] || _toward[b, a];

    /// <summary>Whether the edge from <paramref name="from"/> to <paramref name="to"/> is directed that way (false for undirected edges).</summary>
    public bool IsDirected(int from, int to) => _toward[from, to] && !_toward[to, from];

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are joined by an edge of unknown direction.</summary>
    public bool IsUndirected(int a, int b) => _toward[a, b] && _toward[b, a];

    /// <summary>The variables with a directed edge into <paramref name="node"/>, in order.</summary>
    public IReadOnlyList<int> Parents(int node) => _parents[node];

    /// <summary>The variables <paramref name="node"/> has a directed edge into, in order.</summary>
    public IReadOnlyList<int> Children(int node) => _children[node];

    /// <summary>Every variable joined to <paramref name="node"/> by an edge of any kind, in order.</summary>
    public IReadOnlyList<int> Neighbours(int node) => _neighbours[node];
}
