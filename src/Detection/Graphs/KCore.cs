namespace Cib.Detection.Graphs;

/// <summary>
/// k-core decomposition: the core number of a vertex is the largest k such that it belongs to a
/// subgraph in which every vertex has at least k neighbours. Weights are ignored (degree counts
/// distinct neighbours).
/// </summary>
public static class KCore
{
    /// <summary>
    /// Core number of every vertex, by the O(n + m) bucket algorithm of Batagelj and Zaveršnik
    /// ("An O(m) Algorithm for Cores Decomposition of Networks", 2003): vertices sit in an array
    /// sorted by current degree with the start of each degree bucket recorded; the vertex of least
    /// degree is fixed at that degree, and each of its unfixed neighbours with a larger degree is
    /// swapped to the front of its bucket and moved down one bucket.
    /// </summary>
    public static int[] CoreNumbers(WeightedGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var n = graph.VertexCount;
        var offsets = graph.Offsets;
        var targets = graph.Targets;
        var degree = new int[n];
        var maxDegree = 0;
        for (var v = 0; v < n; v++)
        {
            degree[v] = offsets[v + 1] - offsets[v];
            maxDegree = Math.Max(maxDegree, degree[v]);
        }

        // bucketStart[d]: first position in `order` of the vertices whose current degree is d.
        var bucketStart = new int[maxDegree + 1];
        foreach (var d in degree)
        {
            bucketStart[d]++;
        }
        var sum = 0;
        for (var d = 0; d <= maxDegree; d++)
        {
            (bucketStart[d], sum) = (sum, sum + bucketStart[d]);
        }
        var order = new int[n];
        var position = new int[n];
        var next = (int[])bucketStart.Clone();
        for (var v = 0; v < n; v++)
        {
            position[v] = next[degree[v]]++;
            order[position[v]] = v;
        }

        for (var i = 0; i < n; i++)
        {
            // degree[v] is now final: every vertex still after i has degree >= degree[v].
            var v = order[i];
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                var u = targets[e];
                if (degree[u] <= degree[v])
                {
                    continue;
                }
                var du = degree[u];
                var first = bucketStart[du];
                var w = order[first];
                if (w != u)
                {
                    (order[position[u]], order[first]) = (w, u);
                    (position[u], position[w]) = (first, position[u]);
                }
                bucketStart[du]++;
                degree[u]--;
            }
        }
        return degree;
    }
}
