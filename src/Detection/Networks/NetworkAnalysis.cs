using Cib.Detection.CoActivity;

namespace Cib.Detection.Networks;

/// <summary>A scored network with its stable id and its dense core.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Cluster">Members, edges and features.</param>
/// <param name="Score">Score and explanation.</param>
/// <param name="Core">The dense core (from the sampled evidence online, from every action in batch), if any.</param>
public sealed record ScoredNetwork(string Id, Cluster Cluster, NetworkScore Score, NetworkCore? Core = null);

/// <summary>The outcome of one analysis of the co-activity graph.</summary>
/// <param name="Networks">Networks, highest score first.</param>
/// <param name="Model">The anomaly model fitted for this analysis, or null when there was nothing to fit it on.</param>
/// <param name="ReferenceGroups">Rows the model was fitted on.</param>
/// <param name="Edges">Edges that passed the thresholds.</param>
public sealed record AnalysisResult(IReadOnlyList<ScoredNetwork> Networks, NetworkModel? Model, int ReferenceGroups, int Edges);

/// <summary>
/// One sweep's computation, pure: thresholded edges are clustered, each cluster gets a stable id,
/// an anomaly model is fitted on reference groups, and every cluster is scored and explained.
/// </summary>
public static class NetworkAnalysis
{
    /// <summary>Random groups of active accounts outside every cluster, added to the reference population.</summary>
    public const int RandomReferenceGroups = 100;

    /// <summary>Runs the analysis; <paramref name="labelled"/> holds the accounts that carry a label, for the <c>labelled_share</c> feature.</summary>
    public static AnalysisResult Run(
        IReadOnlyList<EdgeSummary> edges,
        IReadOnlyDictionary<string, AccountFeatures> accounts,
        CoActivityOptions windows,
        DetectionOptions options,
        IReadOnlyDictionary<string, string> previousNetworkOfAccount,
        IReadOnlyDictionary<string, int> previousSizes,
        IReadOnlySet<string>? labelled = null)
    {
        options.Validate();
        var clusters = NetworkDetector.FindClusters(edges, accounts, windows, options, labelled);
        // The groups under evaluation must not define what normal looks like: a reference that
        // contained the campaigns would let PCA spend its components on them and score them as
        // ordinary. So the reference keeps only groups and accounts outside every cluster.
        var reference = ReferenceRows(edges, accounts, windows, options, clusters, labelled);
        var ids = NetworkIdentity.Assign(clusters.Select(c => c.Members).ToArray(), previousNetworkOfAccount, previousSizes);
        if (clusters.Count == 0 || reference.Count < 2)
        {
            var unscored = clusters.Select((c, i) => new ScoredNetwork(ids[i], c, new NetworkScore(0, 0, 0, new double[NetworkFeatures.Count]), NetworkCore.FromEvidence(c))).ToList();
            return new AnalysisResult(unscored, null, reference.Count, clusters.Sum(c => c.Edges.Count));
        }
        var model = NetworkModel.Fit(reference, options.PcaRank, options.Seed);
        var scored = clusters.Select((c, i) => new ScoredNetwork(ids[i], c, model.Score(c.Features), NetworkCore.FromEvidence(c)))
            .OrderByDescending(n => n.Score.Score).ThenBy(n => n.Id, StringComparer.Ordinal)
            .ToList();
        return new AnalysisResult(scored, model, reference.Count, clusters.Sum(c => c.Edges.Count));
    }

    /// <summary>
    /// The feature rows the anomaly model learns ordinary co-activity from: reference groups (see
    /// <see cref="NetworkDetector.FindReferenceGroups"/>) with no member in any of <paramref name="clusters"/>,
    /// plus <see cref="RandomReferenceGroups"/> random groups of accounts outside every cluster.
    /// </summary>
    public static List<double[]> ReferenceRows(IReadOnlyList<EdgeSummary> edges, IReadOnlyDictionary<string, AccountFeatures> accounts,
        CoActivityOptions windows, DetectionOptions options, IReadOnlyList<Cluster> clusters, IReadOnlySet<string>? labelled = null)
    {
        var clustered = clusters.SelectMany(c => c.Members).ToHashSet(StringComparer.Ordinal);
        return NetworkDetector.FindReferenceGroups(edges, accounts, windows, options, labelled)
            .Where(g => !g.Members.Any(clustered.Contains))
            .Select(c => c.Features.ToArray())
            .Concat(RandomGroups(accounts, clustered, windows, options.Seed, labelled))
            .ToList();
    }

    private static IEnumerable<double[]> RandomGroups(IReadOnlyDictionary<string, AccountFeatures> accounts, HashSet<string> excluded, CoActivityOptions windows, int seed, IReadOnlySet<string>? labelled)
    {
        var pool = accounts.Keys.Where(a => !excluded.Contains(a)).Order(StringComparer.Ordinal).ToArray();
        if (pool.Length < 3)
        {
            yield break;
        }
        var random = new Random(seed);
        for (var g = 0; g < RandomReferenceGroups; g++)
        {
            var size = random.Next(3, Math.Min(40, pool.Length) + 1);
            var members = new AccountFeatures[size];
            for (var i = 0; i < size; i++)
            {
                members[i] = accounts[pool[random.Next(pool.Length)]];
            }
            yield return NetworkFeatures.Compute(members, [], windows, labelled);
        }
    }
}
