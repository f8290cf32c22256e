namespace Cib.Detection.Graphs;

/// <summary>
/// Community detection by the Leiden algorithm (Traag, Waltman and van Eck, "From Louvain to Leiden:
/// guaranteeing well-connected communities", Scientific Reports 9, 5233, 2019), maximising modularity
/// with a resolution parameter.
/// </summary>
/// <remarks>
/// <para>Each iteration repeats, level by level: (1) fast local moving: vertices are visited from a
/// queue (initially all vertices in random order); a vertex moves to the neighbouring or empty
/// community C with the largest gain e(v, C) − γ·k_v·K_C/2m (e: edge weight between v and C, k_v the
/// strength of v, K_C the total strength of C without v, m the total edge weight; staying must be
/// beaten strictly), and its neighbours outside that community are queued again;
/// (2) refinement: within each community S, starting from singletons, each vertex v that is still a
/// singleton and well connected to S joins a well-connected sub-community C of S with
/// Pr(C) ∝ exp(ΔH/θ) among those with ΔH ≥ 0; (3) aggregation: the refined sub-communities become the
/// vertices of the next level, which starts from the unrefined partition. The iteration ends when
/// local moving leaves every vertex of a level in its own community. Iterations repeat from the
/// previous result until one changes nothing or <see cref="LeidenOptions.MaxIterations"/> is reached.</para>
/// <para>Well connected, with the paper's modularity substitution (vertex size ‖v‖ = strength k_v,
/// resolution γ/2m): a vertex v with E(v, S−v) ≥ γ·k_v·(K_S − k_v)/2m, a sub-community C with
/// E(C, S−C) ≥ γ·K_C·(K_S − K_C)/2m, where E is the edge weight between two sets and K the total strength.</para>
/// <para>Deviations: ΔH in the refinement is measured in units of edge weight,
/// ΔH = e(v, C) − γ·k_v·K_C/2m (that is, m times the change of modularity Q), as in igraph's
/// implementation; the paper writes it in units of Q, which makes exp(ΔH/θ) nearly uniform at
/// θ = 0.01. Only sub-communities adjacent to v are candidates, so γ = 0 cannot merge unconnected
/// vertices. If refinement ever merges nothing while a community has several vertices, the iteration
/// stops there rather than aggregating. Final labels are the connected pieces of each community,
/// which for Leiden (connected communities guaranteed) is only a renumbering.</para>
/// </remarks>
public static class Leiden
{
    /// <summary>
    /// Partitions <paramref name="graph"/> into communities of high modularity; deterministic for a
    /// given graph and <see cref="LeidenOptions.Seed"/>. Isolated vertices get communities of their own.
    /// </summary>
    public static CommunityPartition FindCommunities(WeightedGraph graph, LeidenOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= new LeidenOptions();
        options.Validate();
        var labels = Partition(graph, options, out var iterations);
        labels = ConnectedPieces(graph, labels, out var count);
        return new CommunityPartition(labels, count, Modularity(graph, labels, options.Resolution), iterations);
    }

    /// <summary>
    /// Modularity with resolution γ:
    /// Q = Σ_c [ I_c/2m − γ·(K_c/2m)² ], where m is the total edge weight, I_c the summed weight
    /// A_ij over ordered pairs of vertices both in community c (each edge inside c counted twice),
    /// and K_c the total strength of c. Equivalent to (1/2m)·Σ_ij (A_ij − γ·k_i·k_j/2m)·δ(c_i, c_j).
    /// 0 for a graph without edges.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="labels">Community of each vertex; labels are arbitrary integers.</param>
    /// <param name="resolution">γ, default 1.</param>
    public static double Modularity(WeightedGraph graph, IReadOnlyList<int> labels, double resolution = 1.0)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(labels);
        var n = graph.VertexCount;
        if (labels.Count != n)
        {
            throw new ArgumentException($"expected one label per vertex ({n}), got {labels.Count}", nameof(labels));
        }
        var twoM = 2 * graph.TotalWeight;
        if (twoM == 0)
        {
            return 0;
        }
        var index = new Dictionary<int, int>();
        var community = new int[n];
        for (var v = 0; v < n; v++)
        {
            if (!index.TryGetValue(labels[v], out var c))
            {
                c = index.Count;
                index[labels[v]] = c;
            }
            community[v] = c;
        }
        var inside = new double[index.Count];
        var total = new double[index.Count];
        var offsets = graph.Offsets;
        var targets = graph.Targets;
        var weights = graph.Weights;
        for (var v = 0; v < n; v++)
        {
            var c = community[v];
            total[c] += graph.StrengthArray[v];
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                if (community[targets[e]] == c)
                {
                    inside[c] += weights[e];
                }
            }
        }
        var q = 0.0;
        for (var c = 0; c < inside.Length; c++)
        {
            var share = total[c] / twoM;
            q += inside[c] / twoM - resolution * share * share;
        }
        return q;
    }

    /// <summary>Community per vertex numbered by smallest vertex, before splitting into connected pieces.</summary>
    internal static int[] Partition(WeightedGraph graph, LeidenOptions options, out int iterations)
    {
        var n = graph.VertexCount;
        var membership = new int[n];
        for (var v = 0; v < n; v++)
        {
            membership[v] = v;
        }
        iterations = 0;
        if (graph.TotalWeight == 0)
        {
            return membership;
        }
        var random = new Random(options.Seed);
        var baseLevel = LeidenLevel.From(graph);
        var gammaOver2M = options.Resolution / (2 * graph.TotalWeight);
        while (iterations < options.MaxIterations)
        {
            iterations++;
            var next = Iterate(baseLevel, membership, gammaOver2M, options, random);
            Renumber(next);
            var unchanged = next.AsSpan().SequenceEqual(membership);
            membership = next;
            if (unchanged)
            {
                break;
            }
        }
        return membership;
    }

    /// <summary>The first fast-local-moving phase alone, from singletons: what Louvain's first level finds.</summary>
    internal static int[] LocalMovingOnly(WeightedGraph graph, LeidenOptions options)
    {
        var n = graph.VertexCount;
        var membership = new int[n];
        for (var v = 0; v < n; v++)
        {
            membership[v] = v;
        }
        if (graph.TotalWeight > 0)
        {
            MoveNodesFast(LeidenLevel.From(graph), membership, options.Resolution / (2 * graph.TotalWeight), new Random(options.Seed));
        }
        Renumber(membership);
        return membership;
    }

    private static int[] Iterate(LeidenLevel baseLevel, int[] start, double gammaOver2M, LeidenOptions options, Random random)
    {
        var level = baseLevel;
        var partition = (int[])start.Clone();
        // The level-vertex that holds each original vertex.
        var holder = new int[baseLevel.Count];
        for (var v = 0; v < holder.Length; v++)
        {
            holder[v] = v;
        }
        while (true)
        {
            MoveNodesFast(level, partition, gammaOver2M, random);
            var communities = Renumber(partition);
            if (communities == level.Count)
            {
                break;
            }
            int[] groups;
            int groupCount;
            if (options.Refine)
            {
                groups = Refine(level, partition, communities, gammaOver2M, options.Randomness, random);
                groupCount = Renumber(groups);
                if (groupCount == level.Count)
                {
                    break;
                }
            }
            else
            {
                groups = partition;
                groupCount = communities;
            }
            var nextPartition = new int[groupCount];
            for (var v = 0; v < level.Count; v++)
            {
                nextPartition[groups[v]] = partition[v];
            }
            for (var v = 0; v < holder.Length; v++)
            {
                holder[v] = groups[holder[v]];
            }
            level = level.Aggregate(groups, groupCount);
            partition = nextPartition;
        }
        var membership = new int[holder.Length];
        for (var v = 0; v < holder.Length; v++)
        {
            membership[v] = partition[holder[v]];
        }
        return membership;
    }

    /// <summary>
    /// Fast local moving (the paper's MoveNodesFast): moves vertices of <paramref name="level"/> between
    /// communities of <paramref name="partition"/> (labels 0..Count-1, updated in place) while the move
    /// gain e(v, C) − γ·k_v·K_C/2m (K_C without v) beats staying; an empty community has gain 0.
    /// </summary>
    private static void MoveNodesFast(LeidenLevel level, int[] partition, double gammaOver2M, Random random)
    {
        var n = level.Count;
        var offsets = level.Offsets;
        var targets = level.Targets;
        var weights = level.Weights;
        var strength = level.Strength;
        var total = new double[n];
        var size = new int[n];
        for (var v = 0; v < n; v++)
        {
            total[partition[v]] += strength[v];
            size[partition[v]]++;
        }
        var empty = new Stack<int>();
        for (var c = n - 1; c >= 0; c--)
        {
            if (size[c] == 0)
            {
                empty.Push(c);
            }
        }

        // Circular queue: a vertex is in it at most once, so n slots suffice.
        var queue = Permutation(n, random);
        var queued = new bool[n];
        Array.Fill(queued, true);
        int head = 0, length = n;
        var toCommunity = new double[n];
        var touched = new int[n];
        while (length > 0)
        {
            var v = queue[head];
            head = head + 1 == n ? 0 : head + 1;
            length--;
            queued[v] = false;

            var current = partition[v];
            var kv = strength[v];
            var touchedCount = 0;
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                var c = partition[targets[e]];
                if (toCommunity[c] == 0)
                {
                    touched[touchedCount++] = c;
                }
                toCommunity[c] += weights[e];
            }
            total[current] -= kv;
            var best = current;
            var bestGain = toCommunity[current] - kv * total[current] * gammaOver2M;
            for (var t = 0; t < touchedCount; t++)
            {
                var c = touched[t];
                var gain = toCommunity[c] - kv * total[c] * gammaOver2M;
                if (gain > bestGain)
                {
                    best = c;
                    bestGain = gain;
                }
            }
            if (bestGain < 0 && size[current] > 1)
            {
                best = empty.Pop();
            }
            for (var t = 0; t < touchedCount; t++)
            {
                toCommunity[touched[t]] = 0;
            }
            total[best] += kv;
            if (best == current)
            {
                continue;
            }
            partition[v] = best;
            size[best]++;
            if (--size[current] == 0)
            {
                // Clear rounding residue so an empty community really has total 0.
                total[current] = 0;
                empty.Push(current);
            }
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                var u = targets[e];
                if (!queued[u] && partition[u] != best)
                {
                    queued[u] = true;
                    var tail = head + length;
                    queue[tail >= n ? tail - n : tail] = u;
                    length++;
                }
            }
        }
    }

    /// <summary>
    /// The refinement phase (the paper's RefinePartition and MergeNodesSubset): sub-communities of each
    /// community of <paramref name="partition"/>, built by merging well-connected singletons into
    /// well-connected sub-communities. Returns a sub-community id per vertex (not yet renumbered).
    /// </summary>
    private static int[] Refine(LeidenLevel level, int[] partition, int communities, double gammaOver2M, double theta, Random random)
    {
        var n = level.Count;
        var offsets = level.Offsets;
        var targets = level.Targets;
        var weights = level.Weights;
        var strength = level.Strength;
        var communityTotal = new double[communities];
        // E(v, S − v): weight from v to the rest of its community.
        var toOwnCommunity = new double[n];
        for (var v = 0; v < n; v++)
        {
            communityTotal[partition[v]] += strength[v];
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                if (partition[targets[e]] == partition[v])
                {
                    toOwnCommunity[v] += weights[e];
                }
            }
        }

        var refined = new int[n];
        var subTotal = new double[n];
        var subOutside = new double[n];
        var subSize = new int[n];
        for (var v = 0; v < n; v++)
        {
            refined[v] = v;
            subTotal[v] = strength[v];
            subOutside[v] = toOwnCommunity[v];
            subSize[v] = 1;
        }

        var toSub = new double[n];
        var touched = new int[n];
        var candidate = new int[n + 1];
        var probability = new double[n + 1];
        foreach (var v in Permutation(n, random))
        {
            // A singleton's sub-community id is its own vertex id (sub-communities only grow).
            if (subSize[v] != 1 || refined[v] != v)
            {
                continue;
            }
            var kv = strength[v];
            var s = partition[v];
            var ks = communityTotal[s];
            if (toOwnCommunity[v] < gammaOver2M * kv * (ks - kv))
            {
                continue;
            }
            var touchedCount = 0;
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                var u = targets[e];
                if (partition[u] != s)
                {
                    continue;
                }
                var c = refined[u];
                if (toSub[c] == 0)
                {
                    touched[touchedCount++] = c;
                }
                toSub[c] += weights[e];
            }

            // Candidate 0 is staying a singleton (ΔH = 0).
            var candidates = 1;
            candidate[0] = v;
            probability[0] = 0;
            var maxGain = 0.0;
            for (var t = 0; t < touchedCount; t++)
            {
                var c = touched[t];
                var kc = subTotal[c];
                if (subOutside[c] < gammaOver2M * kc * (ks - kc))
                {
                    continue;
                }
                var gain = toSub[c] - gammaOver2M * kv * kc;
                if (gain < 0)
                {
                    continue;
                }
                candidate[candidates] = c;
                probability[candidates++] = gain;
                maxGain = Math.Max(maxGain, gain);
            }
            var chosen = v;
            if (candidates > 1)
            {
                // exp((ΔH − max ΔH)/θ) ∝ exp(ΔH/θ), without overflow.
                var sum = 0.0;
                for (var i = 0; i < candidates; i++)
                {
                    probability[i] = Math.Exp((probability[i] - maxGain) / theta);
                    sum += probability[i];
                }
                var draw = random.NextDouble() * sum;
                chosen = candidate[candidates - 1];
                for (var i = 0; i < candidates; i++)
                {
                    draw -= probability[i];
                    if (draw < 0)
                    {
                        chosen = candidate[i];
                        break;
                    }
                }
            }
            if (chosen != v)
            {
                refined[v] = chosen;
                subSize[v] = 0;
                subSize[chosen]++;
                subTotal[chosen] += kv;
                // Edges between v and the sub-community stop crossing its boundary, from both sides.
                subOutside[chosen] += toOwnCommunity[v] - 2 * toSub[chosen];
            }
            for (var t = 0; t < touchedCount; t++)
            {
                toSub[touched[t]] = 0;
            }
        }
        return refined;
    }

    private static int[] Permutation(int n, Random random)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        random.Shuffle(order);
        return order;
    }

    /// <summary>Renumbers labels in place to 0..k-1 in order of first appearance; returns k.</summary>
    private static int Renumber(int[] labels)
    {
        var map = new int[labels.Length];
        Array.Fill(map, -1);
        var count = 0;
        for (var v = 0; v < labels.Length; v++)
        {
            var l = labels[v];
            if (map[l] < 0)
            {
                map[l] = count++;
            }
            labels[v] = map[l];
        }
        return count;
    }

    /// <summary>
    /// Splits every community into its connected pieces (breadth-first search over edges inside the
    /// community) and numbers the pieces in order of their smallest vertex.
    /// </summary>
    internal static int[] ConnectedPieces(WeightedGraph graph, int[] labels, out int count)
    {
        var n = graph.VertexCount;
        var offsets = graph.Offsets;
        var targets = graph.Targets;
        var pieces = new int[n];
        Array.Fill(pieces, -1);
        var queue = new int[n];
        count = 0;
        for (var root = 0; root < n; root++)
        {
            if (pieces[root] >= 0)
            {
                continue;
            }
            int head = 0, tail = 0;
            queue[tail++] = root;
            pieces[root] = count;
            while (head < tail)
            {
                var v = queue[head++];
                for (var e = offsets[v]; e < offsets[v + 1]; e++)
                {
                    var u = targets[e];
                    if (pieces[u] < 0 && labels[u] == labels[root])
                    {
                        pieces[u] = count;
                        queue[tail++] = u;
                    }
                }
            }
            count++;
        }
        return pieces;
    }
}
