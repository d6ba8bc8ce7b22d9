namespace Medic.Core.Rca.Causal;

/// <summary>
/// The graph the PC algorithm works on: edges are removed while the skeleton is searched, then
/// oriented. Orienting only ever takes a possibility away (a−b becomes a→b), so an edge once
/// directed stays so: later rules cannot overturn background knowledge or make an edge bidirected.
/// </summary>
internal sealed class PartiallyDirectedGraph
{
    // Same encoding as CausalGraph: _toward[a, b] when the edge a−b may point at b.
    private readonly bool[,] _toward;

    /// <summary>The complete undirected graph on <paramref name="count"/> variables.</summary>
    public PartiallyDirectedGraph(int count)
    {
        Count = count;
        _toward = new bool[count, count];
        for (var a = 0; a < count; a++)
        {
            for (var b = 0; b < count; b++)
            {
                _toward[a, b] = a != b;
            }
        }
    }

    public int Count { get; }

    public bool IsAdjacent(int a, int b) => _toward[a, b] || _toward[b, a];

    public bool IsDirected(int from, int to) => _toward[from, to] && !_toward[to, from];

    public bool IsUndirected(int a, int b) => _toward[a, b] && _toward[b, a];

    public void Remove(int a, int b) => (_toward[a, b], _toward[b, a]) = (false, false);

    /// <summary>Turns a−b into a→b; false (and no change) when the edge is missing or already directed.</summary>
    public bool Orient(int from, int to)
    {
        if (!IsUndirected(from, to))
        {
            return false;
        }

        _toward[to, from] = false;
        return true;
    }

    /// <summary>The variables adjacent to <paramref name="node"/>, in order.</summary>
    public List<int> Neighbours(int node)
    {
        var neighbours = new List<int>();
        for (var other = 0; other < Count; other++)
        {
            if (IsAdjacent(node, other))
            {
                neighbours.Add(other);
            }
        }

        return neighbours;
    }

    public CausalGraph ToCausalGraph() => new(_toward);
}
