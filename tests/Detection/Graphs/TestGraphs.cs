using Cib.Detection.Graphs;

namespace Cib.Detection.Tests.Graphs;

/// <summary>Seeded graph generators shared by the graph-kernel tests.</summary>
internal static class TestGraphs
{
    /// <summary>Cliques of <paramref name="size"/> vertices; clique i holds vertices i*size..(i+1)*size-1.</summary>
    public static List<(int U, int V, double Weight)> Cliques(int count, int size)
    {
        var edges = new List<(int, int, double)>();
        for (var c = 0; c < count; c++)
        {
            for (var i = 0; i < size; i++)
            {
                for (var j = i + 1; j < size; j++)
                {
                    edges.Add((c * size + i, c * size + j, 1.0));
                }
            }
        }
        return edges;
    }

    /// <summary>Cliques in a ring, clique i's last vertex joined to clique i+1's first.</summary>
    public static WeightedGraph RingOfCliques(int count, int size)
    {
        var edges = Cliques(count, size);
        for (var c = 0; c < count; c++)
        {
            edges.Add((c * size + size - 1, (c + 1) % count * size, 1.0));
        }
        return WeightedGraph.FromEdges(count * size, edges);
    }

    /// <summary>Planted partition: vertex v is in group v / size; pairs inside a group are joined with pIn, others with pOut.</summary>
    public static WeightedGraph PlantedPartition(int groups, int size, double pIn, double pOut, int seed, out int[] truth)
    {
        var random = new Random(seed);
        var n = groups * size;
        truth = new int[n];
        for (var v = 0; v < n; v++)
        {
            truth[v] = v / size;
        }
        var edges = new List<(int, int, double)>();
        for (var u = 0; u < n; u++)
        {
            for (var v = u + 1; v < n; v++)
            {
                if (random.NextDouble() < (truth[u] == truth[v] ? pIn : pOut))
                {
                    edges.Add((u, v, 1.0));
                }
            }
        }
        return WeightedGraph.FromEdges(n, edges);
    }

    /// <summary>Erdős–Rényi-style graph with a given number of random (possibly repeated) edges.</summary>
    public static WeightedGraph Random(int n, int edgeCount, int seed)
    {
        var random = new Random(seed);
        var edges = new List<(int, int, double)>(edgeCount);
        while (edges.Count < edgeCount)
        {
            int u = random.Next(n), v = random.Next(n);
            if (u != v)
            {
                edges.Add((u, v, 1.0 + random.Next(3)));
            }
        }
        return WeightedGraph.FromEdges(n, edges);
    }

    /// <summary>True when every community induces a connected subgraph (breadth-first search inside it).</summary>
    public static bool CommunitiesAreConnected(WeightedGraph graph, IReadOnlyList<int> labels)
    {
        var n = graph.VertexCount;
        var seen = new bool[n];
        var seenCommunity = new HashSet<int>();
        var queue = new Queue<int>();
        for (var root = 0; root < n; root++)
        {
            if (seen[root])
            {
                continue;
            }
            if (!seenCommunity.Add(labels[root]))
            {
                // A second piece of a community whose first piece did not reach this vertex.
                return false;
            }
            seen[root] = true;
            queue.Enqueue(root);
            while (queue.Count > 0)
            {
                var v = queue.Dequeue();
                foreach (var u in graph.Neighbors(v))
                {
                    if (!seen[u] && labels[u] == labels[root])
                    {
                        seen[u] = true;
                        queue.Enqueue(u);
                    }
                }
            }
        }
        return true;
    }
}
