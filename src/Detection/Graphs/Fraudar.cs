namespace Cib.Detection.Graphs;

/// <summary>
/// Dense-block detection in an accounts × targets graph by greedy peeling, after Fraudar (Hooi, Song,
/// Beutel, Shah, Shin and Faloutsos, "FRAUDAR: Bounding Graph Fraud in the Face of Camouflage", KDD 2016).
/// </summary>
/// <remarks>
/// <para>For a set S of accounts and targets, f(S) = Σ_{(a,t) ∈ E, a ∈ S, t ∈ S} 1/ln(d_t + c) and the
/// density is g(S) = f(S)/|S|, with d_t the degree of target t and c = 5. Starting from every vertex
/// with an edge, peeling repeatedly removes the vertex whose removal lowers f least (its weighted degree
/// within S), ties broken by smaller id with accounts before targets; the densest set seen is returned. Peeling
/// is O(m log m): a binary heap holds (weighted degree, vertex) entries and stale ones are skipped
/// when popped. The paper proves g of the result is at least half the best g.</para>
/// <para>Deviations: no per-vertex prior suspiciousness (the paper's a_i is 0). For several blocks,
/// the edges inside each found block are removed and the column weights recomputed from the remaining
/// edges, as the authors' code does. No randomness is involved, so there is no seed.</para>
/// </remarks>
public static class Fraudar
{
    /// <summary>The densest block by greedy peeling, or an empty block when the graph has no edges.</summary>
    public static DenseBlock FindDenseBlock(BipartiteGraph graph, FraudarOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= new FraudarOptions();
        options.Validate();
        return Peel(graph, new bool[graph.EdgeCount], options);
    }

    /// <summary>
    /// Up to <paramref name="count"/> blocks, densest first: after each block its internal edges are
    /// removed and peeling starts again on what remains. Stops early when no edges remain.
    /// </summary>
    public static IReadOnlyList<DenseBlock> FindDenseBlocks(BipartiteGraph graph, int count, FraudarOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        options ??= new FraudarOptions();
        options.Validate();
        var removed = new bool[graph.EdgeCount];
        var blocks = new List<DenseBlock>();
        while (blocks.Count < count)
        {
            var block = Peel(graph, removed, options);
            if (block.EdgeCount == 0)
            {
                break;
            }
            blocks.Add(block);
            var inBlock = new bool[graph.TargetCount];
            foreach (var t in block.TargetIds)
            {
                inBlock[t] = true;
            }
            foreach (var a in block.AccountIds)
            {
                for (var e = graph.AccountOffsets[a]; e < graph.AccountOffsets[a + 1]; e++)
                {
                    if (inBlock[graph.AccountTargets[e]])
                    {
                        removed[e] = true;
                    }
                }
            }
        }
        return blocks;
    }

    /// <summary>Column weight 1/ln(d_t + c) of each target over the edges not yet removed (1 when unweighted).</summary>
    internal static double[] ColumnWeights(BipartiteGraph graph, bool[] removed, FraudarOptions options)
    {
        var weights = new double[graph.TargetCount];
        for (var t = 0; t < graph.TargetCount; t++)
        {
            var degree = 0;
            for (var i = graph.TargetOffsets[t]; i < graph.TargetOffsets[t + 1]; i++)
            {
                if (!removed[graph.TargetEdges[i]])
                {
                    degree++;
                }
            }
            weights[t] = options.WeightByTargetDegree ? 1.0 / Math.Log(degree + options.ColumnWeightOffset) : 1.0;
        }
        return weights;
    }

    private static DenseBlock Peel(BipartiteGraph graph, bool[] removed, FraudarOptions options)
    {
        int accounts = graph.AccountCount, vertices = accounts + graph.TargetCount;
        var columnWeight = ColumnWeights(graph, removed, options);

        // Vertices 0..accounts-1 are accounts, the rest targets; priority is the weighted degree in S.
        var priority = new double[vertices];
        var inSet = new bool[vertices];
        for (var a = 0; a < accounts; a++)
        {
            for (var e = graph.AccountOffsets[a]; e < graph.AccountOffsets[a + 1]; e++)
            {
                if (!removed[e])
                {
                    var t = graph.AccountTargets[e];
                    priority[a] += columnWeight[t];
                    priority[accounts + t] += columnWeight[t];
                    inSet[a] = inSet[accounts + t] = true;
                }
            }
        }
        var heap = new PriorityQueue<int, (double Priority, int Vertex)>();
        var size = 0;
        var f = 0.0;
        for (var v = 0; v < vertices; v++)
        {
            if (inSet[v])
            {
                heap.Enqueue(v, (priority[v], v));
                size++;
                if (v < accounts)
                {
                    f += priority[v];
                }
            }
        }

        // Peel, remembering how many removals gave the densest prefix.
        var order = new int[size];
        var removals = 0;
        var bestDensity = size == 0 ? 0 : f / size;
        var bestRemovals = 0;
        while (heap.TryDequeue(out var v, out var key))
        {
            if (!inSet[v] || key.Priority != priority[v])
            {
                continue;
            }
            inSet[v] = false;
            order[removals++] = v;
            f -= priority[v];
            size--;
            if (v < accounts)
            {
                for (var e = graph.AccountOffsets[v]; e < graph.AccountOffsets[v + 1]; e++)
                {
                    var u = accounts + graph.AccountTargets[e];
                    if (!removed[e] && inSet[u])
                    {
                        priority[u] -= columnWeight[u - accounts];
                        heap.Enqueue(u, (priority[u], u));
                    }
                }
            }
            else
            {
                var t = v - accounts;
                for (var i = graph.TargetOffsets[t]; i < graph.TargetOffsets[t + 1]; i++)
                {
                    var u = graph.TargetAccounts[i];
                    if (!removed[graph.TargetEdges[i]] && inSet[u])
                    {
                        priority[u] -= columnWeight[t];
                        heap.Enqueue(u, (priority[u], u));
                    }
                }
            }
            if (size > 0 && f / size > bestDensity)
            {
                bestDensity = f / size;
                bestRemovals = removals;
            }
        }

        // The block is what remained after bestRemovals removals; f is recomputed exactly from its
        // edges rather than carried through the subtractions.
        Array.Fill(inSet, true);
        for (var i = 0; i < bestRemovals; i++)
        {
            inSet[order[i]] = false;
        }
        var blockAccounts = new List<int>();
        var blockTargets = new List<int>();
        for (var i = bestRemovals; i < removals; i++)
        {
            (order[i] < accounts ? blockAccounts : blockTargets).Add(order[i] < accounts ? order[i] : order[i] - accounts);
        }
        blockAccounts.Sort();
        blockTargets.Sort();
        var suspiciousness = 0.0;
        var edges = 0;
        foreach (var a in blockAccounts)
        {
            for (var e = graph.AccountOffsets[a]; e < graph.AccountOffsets[a + 1]; e++)
            {
                var t = graph.AccountTargets[e];
                if (!removed[e] && inSet[accounts + t])
                {
                    suspiciousness += columnWeight[t];
                    edges++;
                }
            }
        }
        return new DenseBlock(graph, [.. blockAccounts], [.. blockTargets], suspiciousness, edges);
    }
}
