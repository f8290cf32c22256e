using Cib.Detection.CoActivity;
using Cib.Detection.Graphs;

namespace Cib.Detection.Networks;

/// <summary>A group of accounts found by clustering, before scoring.</summary>
/// <param name="Members">Account ids, ordinal order.</param>
/// <param name="Edges">The edges among them that passed the thresholds, heaviest first.</param>
/// <param name="Features">Feature vector, in <see cref="NetworkFeatures.Names"/> order.</param>
public sealed record Cluster(IReadOnlyList<string> Members, IReadOnlyList<NetworkEdge> Edges, IReadOnlyList<double> Features)
{
    /// <summary>Earliest evidence.</summary>
    public DateTimeOffset FirstSeen => Edges.Count == 0 ? default : Edges.Min(e => e.Edge.FirstSeen);

    /// <summary>Latest evidence.</summary>
    public DateTimeOffset LastSeen => Edges.Count == 0 ? default : Edges.Max(e => e.Edge.LastSeen);
}

/// <summary>
/// Turns aggregated pairs into clusters: edges that pass <see cref="DetectionOptions.MinSupport"/>
/// and <see cref="DetectionOptions.MinJaccard"/> are joined into connected components (union-find,
/// deterministic: vertices numbered in ordinal order of account id), and components of at least
/// <see cref="DetectionOptions.MinNetworkSize"/> accounts are clusters. The same procedure at
/// <see cref="DetectionOptions.ReferenceMinSupport"/> without the Jaccard test gives the reference
/// groups the anomaly model learns what ordinary co-activity looks like from.
/// </summary>
public static class NetworkDetector
{
    /// <summary>Clusters at the detection thresholds.</summary>
    public static List<Cluster> FindClusters(IReadOnlyList<EdgeSummary> edges, IReadOnlyDictionary<string, AccountFeatures> accounts, CoActivityOptions windows, DetectionOptions options)
    {
        var kept = new List<NetworkEdge>();
        foreach (var e in edges)
        {
            if (e.Support < options.MinSupport)
            {
                continue;
            }
            var j = e.Jaccard(ActionsOf(accounts, e.A), ActionsOf(accounts, e.B));
            if (j >= options.MinJaccard)
            {
                kept.Add(new NetworkEdge(e, j));
            }
        }
        return Components(kept, accounts, windows, options.MinNetworkSize);
    }

    /// <summary>Reference groups: components of edges with at least <see cref="DetectionOptions.ReferenceMinSupport"/> occasions, 2 accounts or more.</summary>
    public static List<Cluster> FindReferenceGroups(IReadOnlyList<EdgeSummary> edges, IReadOnlyDictionary<string, AccountFeatures> accounts, CoActivityOptions windows, DetectionOptions options)
    {
        var kept = edges.Where(e => e.Support >= options.ReferenceMinSupport)
            .Select(e => new NetworkEdge(e, e.Jaccard(ActionsOf(accounts, e.A), ActionsOf(accounts, e.B))))
            .ToList();
        return Components(kept, accounts, windows, 2);
    }

    private static long ActionsOf(IReadOnlyDictionary<string, AccountFeatures> accounts, string id) =>
        accounts.TryGetValue(id, out var f) ? f.CoActivityActions : 0;

    private static List<Cluster> Components(List<NetworkEdge> kept, IReadOnlyDictionary<string, AccountFeatures> accounts, CoActivityOptions windows, int minSize)
    {
        var vertices = kept.SelectMany(e => new[] { e.Edge.A, e.Edge.B }).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(vertices.Length, StringComparer.Ordinal);
        for (var i = 0; i < vertices.Length; i++)
        {
            index[vertices[i]] = i;
        }
        var uf = new UnionFind(vertices.Length);
        foreach (var e in kept)
        {
            uf.Union(index[e.Edge.A], index[e.Edge.B]);
        }
        var labels = uf.Labels(out var count);
        var members = new List<string>[count];
        var edgesOf = new List<NetworkEdge>[count];
        for (var c = 0; c < count; c++)
        {
            members[c] = [];
            edgesOf[c] = [];
        }
        for (var v = 0; v < vertices.Length; v++)
        {
            members[labels[v]].Add(vertices[v]);
        }
        foreach (var e in kept)
        {
            edgesOf[labels[index[e.Edge.A]]].Add(e);
        }
        var clusters = new List<Cluster>();
        for (var c = 0; c < count; c++)
        {
            if (members[c].Count < minSize)
            {
                continue;
            }
            var features = members[c].Select(m => accounts.TryGetValue(m, out var f) ? f : Unknown(m)).ToArray();
            var sortedEdges = edgesOf[c].OrderByDescending(e => e.Edge.Weight).ThenBy(e => e.Edge.A, StringComparer.Ordinal).ThenBy(e => e.Edge.B, StringComparer.Ordinal).ToArray();
            clusters.Add(new Cluster(members[c], sortedEdges, NetworkFeatures.Compute(features, sortedEdges, windows)));
        }
        return clusters;
    }

    private static AccountFeatures Unknown(string id) => new(id, null, null, 0, 0, new long[8], 0, null, null, null);
}
