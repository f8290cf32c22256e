namespace Cib.Detection.Graphs;

/// <summary>
/// Agreement between two partitions of the same items, corrected for chance (Hubert and Arabie,
/// "Comparing partitions", Journal of Classification 1985).
/// </summary>
public static class AdjustedRandIndex
{
    /// <summary>
    /// With n_ij the number of items in cluster i of <paramref name="a"/> and cluster j of
    /// <paramref name="b"/>, a_i and b_j the cluster sizes, and C(x) = x(x-1)/2:
    /// ARI = (Σ_ij C(n_ij) - E) / (½(Σ_i C(a_i) + Σ_j C(b_j)) - E), where E = Σ_i C(a_i) · Σ_j C(b_j) / C(n).
    /// 1 for identical partitions, about 0 for independent ones, and can be negative. When the
    /// denominator is 0 (fewer than two items, or both partitions all-singletons or both a single
    /// cluster) the partitions are identical and 1 is returned.
    /// </summary>
    /// <param name="a">Cluster label per item; labels are arbitrary integers.</param>
    /// <param name="b">Cluster label per item, same length as <paramref name="a"/>.</param>
    public static double Compute(int[] a, int[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length)
        {
            throw new ArgumentException(
                $"the partitions label different numbers of items ({a.Length} and {b.Length}); pass one label per item in both",
                nameof(b));
        }
        var n = a.Length;
        var joint = new Dictionary<(int, int), long>();
        var sizeA = new Dictionary<int, long>();
        var sizeB = new Dictionary<int, long>();
        for (var i = 0; i < n; i++)
        {
            joint[(a[i], b[i])] = joint.GetValueOrDefault((a[i], b[i])) + 1;
            sizeA[a[i]] = sizeA.GetValueOrDefault(a[i]) + 1;
            sizeB[b[i]] = sizeB.GetValueOrDefault(b[i]) + 1;
        }
        var index = SumPairs(joint.Values);
        var pairsA = SumPairs(sizeA.Values);
        var pairsB = SumPairs(sizeB.Values);
        var expected = n < 2 ? 0 : pairsA * pairsB / Pairs(n);
        var denominator = (pairsA + pairsB) / 2 - expected;
        // (A + B)/2 >= sqrt(AB) >= AB/C(n), with equality only when A = B = 0 or A = B = C(n); the
        // tolerance absorbs the rounding of AB/C(n) for large n.
        return denominator <= 1e-12 * (pairsA + pairsB + 1) ? 1.0 : (index - expected) / denominator;
    }

    private static double Pairs(long x) => x * (x - 1) / 2.0;

    private static double SumPairs(IEnumerable<long> counts)
    {
        var sum = 0.0;
        foreach (var c in counts)
        {
            sum += Pairs(c);
        }
        return sum;
    }
}
