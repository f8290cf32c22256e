namespace Cib.Detection.Graphs;

/// <summary>
/// An undirected graph with positive edge weights over vertices 0..n-1, stored in compressed sparse
/// row (CSR) form: every edge appears once in each endpoint's row, rows are sorted by neighbour, and
/// parallel edges are merged by summing their weights. Self-loops are rejected: the graph is simple,
/// so degree counts distinct neighbours and strength is the sum of incident edge weights.
/// </summary>
/// <remarks>Immutable once built; safe to share between threads.</remarks>
public sealed class WeightedGraph
{
    private readonly int[] _offsets;
    private readonly int[] _targets;
    private readonly double[] _weights;
    private readonly double[] _strength;

    private WeightedGraph(int[] offsets, int[] targets, double[] weights)
    {
        _offsets = offsets;
        _targets = targets;
        _weights = weights;
        var n = offsets.Length - 1;
        _strength = new double[n];
        var twiceTotal = 0.0;
        for (var v = 0; v < n; v++)
        {
            var s = 0.0;
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                s += weights[e];
            }
            _strength[v] = s;
            twiceTotal += s;
        }
        TotalWeight = twiceTotal / 2;
    }

    /// <summary>Number of vertices n; ids are 0..n-1.</summary>
    public int VertexCount => _strength.Length;

    /// <summary>Number of distinct undirected edges (after parallel edges were merged).</summary>
    public int EdgeCount => _targets.Length / 2;

    /// <summary>Sum of the weights of all undirected edges, m (each edge counted once).</summary>
    public double TotalWeight { get; }

    /// <summary>Number of distinct neighbours of <paramref name="vertex"/>.</summary>
    public int Degree(int vertex) => _offsets[vertex + 1] - _offsets[vertex];

    /// <summary>Strength k_v: the sum of the weights of the edges incident to <paramref name="vertex"/>.</summary>
    public double Strength(int vertex) => _strength[vertex];

    /// <summary>Neighbours of <paramref name="vertex"/>, ascending.</summary>
    public ReadOnlySpan<int> Neighbors(int vertex) =>
        _targets.AsSpan(_offsets[vertex], _offsets[vertex + 1] - _offsets[vertex]);

    /// <summary>Weights of the edges to <see cref="Neighbors"/>, position for position.</summary>
    public ReadOnlySpan<double> NeighborWeights(int vertex) =>
        _weights.AsSpan(_offsets[vertex], _offsets[vertex + 1] - _offsets[vertex]);

    internal int[] Offsets => _offsets;

    internal int[] Targets => _targets;

    internal double[] Weights => _weights;

    internal double[] StrengthArray => _strength;

    /// <summary>
    /// Builds a graph on <paramref name="vertexCount"/> vertices from undirected weighted edges.
    /// (u, v) and (v, u) are the same edge; repeated edges have their weights summed.
    /// </summary>
    /// <exception cref="ArgumentException">An endpoint is out of range, an edge is a self-loop, or a
    /// weight is not a finite positive number.</exception>
    public static WeightedGraph FromEdges(int vertexCount, IEnumerable<(int U, int V, double Weight)> edges)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertexCount);
        ArgumentNullException.ThrowIfNull(edges);
        var us = new List<int>();
        var vs = new List<int>();
        var ws = new List<double>();
        var index = 0;
        foreach (var (u, v, w) in edges)
        {
            if ((uint)u >= (uint)vertexCount || (uint)v >= (uint)vertexCount)
            {
                throw new ArgumentException(
                    $"edge {index}: endpoint out of range 0..{vertexCount - 1} (got {u}, {v}); pass a larger vertexCount or renumber the vertices",
                    nameof(edges));
            }
            Validate(index, u == v, w, $"vertex {u}");
            us.Add(u);
            vs.Add(v);
            ws.Add(w);
            index++;
        }
        return Build(vertexCount, us, vs, ws);
    }

    /// <summary>
    /// Builds a graph from edges between named vertices. Vertices are numbered in ordinal order of
    /// their names, so the same edges give the same numbering whatever their order.
    /// </summary>
    /// <param name="edges">Undirected edges; repeated pairs (in either direction) have their weights summed.</param>
    /// <param name="vertexNames">Name of each vertex id, in ordinal order.</param>
    /// <exception cref="ArgumentException">A name is null, an edge is a self-loop, or a weight is not a
    /// finite positive number.</exception>
    public static WeightedGraph FromEdges(IEnumerable<(string A, string B, double W)> edges, out string[] vertexNames)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var list = edges as IReadOnlyCollection<(string A, string B, double W)> ?? edges.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (a, b, w) in list)
        {
            if (a is null || b is null)
            {
                throw new ArgumentException($"edge {index}: a vertex name is null; drop the edge or name both ends", nameof(edges));
            }
            Validate(index, string.Equals(a, b, StringComparison.Ordinal), w, $"\"{a}\"");
            names.Add(a);
            names.Add(b);
            index++;
        }
        vertexNames = [.. names];
        Array.Sort(vertexNames, StringComparer.Ordinal);
        var id = new Dictionary<string, int>(vertexNames.Length, StringComparer.Ordinal);
        for (var i = 0; i < vertexNames.Length; i++)
        {
            id[vertexNames[i]] = i;
        }
        var us = new List<int>(list.Count);
        var vs = new List<int>(list.Count);
        var ws = new List<double>(list.Count);
        foreach (var (a, b, w) in list)
        {
            us.Add(id[a]);
            vs.Add(id[b]);
            ws.Add(w);
        }
        return Build(vertexNames.Length, us, vs, ws);
    }

    private static void Validate(int index, bool selfLoop, double weight, string vertex)
    {
        if (selfLoop)
        {
            throw new ArgumentException(
                $"edge {index}: self-loop on {vertex}; the graph is simple, so drop edges from a vertex to itself before building",
                "edges");
        }
        if (!double.IsFinite(weight) || weight <= 0)
        {
            throw new ArgumentException(
                $"edge {index}: weight must be finite and positive (got {weight}); drop zero-weight edges before building",
                "edges");
        }
    }

    private static WeightedGraph Build(int n, List<int> us, List<int> vs, List<double> ws)
    {
        var count = new int[n + 1];
        for (var i = 0; i < us.Count; i++)
        {
            count[us[i] + 1]++;
            count[vs[i] + 1]++;
        }
        for (var v = 0; v < n; v++)
        {
            count[v + 1] += count[v];
        }
        var start = (int[])count.Clone();
        var fill = (int[])count.Clone();
        var targets = new int[count[n]];
        var weights = new double[count[n]];
        for (var i = 0; i < us.Count; i++)
        {
            int u = us[i], v = vs[i];
            targets[fill[u]] = v;
            weights[fill[u]++] = ws[i];
            targets[fill[v]] = u;
            weights[fill[v]++] = ws[i];
        }

        // Sort each row by neighbour, then merge runs of the same neighbour in place, compacting rows
        // towards the front (a row never moves past its own start, so nothing unread is overwritten).
        var offsets = new int[n + 1];
        var write = 0;
        for (var v = 0; v < n; v++)
        {
            int from = start[v], length = start[v + 1] - from;
            Array.Sort(targets, weights, from, length);
            offsets[v] = write;
            for (var e = from; e < from + length; e++)
            {
                if (write > offsets[v] && targets[write - 1] == targets[e])
                {
                    weights[write - 1] += weights[e];
                }
                else
                {
                    targets[write] = targets[e];
                    weights[write] = weights[e];
                    write++;
                }
            }
        }
        offsets[n] = write;
        Array.Resize(ref targets, write);
        Array.Resize(ref weights, write);
        return new WeightedGraph(offsets, targets, weights);
    }
}
