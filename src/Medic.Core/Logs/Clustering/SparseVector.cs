namespace Medic.Core.Logs.Clustering;

/// <summary>Counts per template (or any key): a sparse vector, compared by cosine distance.</summary>
public sealed class SparseVector
{
    private readonly int[] _keys;
    private readonly double[] _values;

    /// <summary>Creates the vector from its non-zero entries.</summary>
    public SparseVector(IEnumerable<KeyValuePair<int, double>> entries)
    {
        var sorted = entries.Where(e => e.Value != 0).OrderBy(e => e.Key).ToArray();
        _keys = sorted.Select(e => e.Key).ToArray();
        _values = sorted.Select(e => e.Value).ToArray();
        Norm = Math.Sqrt(_values.Sum(v => v * v));
    }

    /// <summary>The Euclidean length.</summary>
    public double Norm { get; }

    /// <summary>
    /// One minus the cosine of the angle between the vectors, in [0, 1] for counts: 0 for the same
    /// mix of templates whatever the volume. Two empty vectors are alike; an empty one is unlike any other.
    /// </summary>
    public static double CosineDistance(SparseVector a, SparseVector b)
    {
        if (a.Norm == 0 || b.Norm == 0)
        {
            return a.Norm == b.Norm ? 0 : 1;
        }

        double dot = 0;
        int i = 0, j = 0;
        while (i < a._keys.Length && j < b._keys.Length)
        {
            if (a._keys[i] == b._keys[j])
            {
                dot += a._values[i++] * b._values[j++];
            }
            else if (a._keys[i] < b._keys[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return Math.Clamp(1 - (dot / (a.Norm * b.Norm)), 0, 1);
    }
}
