namespace Medic.Core.Rca.Causal;

/// <summary>Subsets of a list, in lexicographic order of positions.</summary>
internal static class Subsets
{
    /// <summary>Every subset of <paramref name="size"/> items of <paramref name="items"/>; each is a new array.</summary>
    public static IEnumerable<int[]> OfSize(IReadOnlyList<int> items, int size)
    {
        if (size > items.Count)
        {
            yield break;
        }

        var positions = Enumerable.Range(0, size).ToArray();
        while (true)
        {
            yield return [.. positions.Select(p => items[p])];

            // Advance the rightmost position that can still move, and reset those after it.
            var i = size - 1;
            while (i >= 0 && positions[i] == items.Count - size + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            positions[i]++;
            for (var j = i + 1; j < size; j++)
            {
                positions[j] = positions[j - 1] + 1;
            }
        }
    }
}
