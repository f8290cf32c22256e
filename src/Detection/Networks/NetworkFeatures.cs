using Cib.Detection.CoActivity;
using Cib.Detection.Graphs;

namespace Cib.Detection.Networks;

/// <summary>An edge that passed the thresholds, with its daily Jaccard similarity (<see cref="DailyJaccard"/>).</summary>
public sealed record NetworkEdge(EdgeSummary Edge, double Jaccard);

/// <summary>
/// The features of a group of accounts that the anomaly model sees. Each is defined where it is
/// computed, in <see cref="Compute"/>; <see cref="Names"/> gives their order.
/// </summary>
public static class NetworkFeatures
{
    /// <summary>Feature names, in vector order.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "log_size",
        "density",
        "mean_support",
        "mean_jaccard",
        "synchrony",
        "content_share",
        "repost_share",
        "link_share",
        "hashtag_share",
        "log_median_age_days",
        "creation_concentration",
        "handle_digit_share",
        "mean_burstiness",
        "target_obscurity",
        "core_ratio",
        "synchrony_spread",
        "target_concentration",
        "labelled_share",
    ];

    /// <summary>Number of features.</summary>
    public static int Count => Names.Count;

    /// <summary>
    /// Computes the feature vector of a group from its members' features and the edges among them
    /// (all edges, not only kept ones, may be passed; only those given are used). <paramref name="labelled"/>
    /// holds the accounts that carry a label (state-controlled media and the like), when known.
    /// </summary>
    public static double[] Compute(IReadOnlyList<AccountFeatures> members, IReadOnlyList<NetworkEdge> edges, CoActivityOptions windows,
        IReadOnlySet<string>? labelled = null)
    {
        var n = members.Count;
        var f = new double[Count];
        // log_size = ln(n)
        f[0] = Math.Log(Math.Max(1, n));
        // density = |E| / (n (n − 1) / 2)
        var possible = n * (n - 1) / 2.0;
        f[1] = possible > 0 ? Math.Min(1, edges.Count / possible) : 0;
        if (edges.Count > 0)
        {
            // mean_support, mean_jaccard: means over edges.
            f[2] = edges.Average(e => (double)e.Edge.Support);
            f[3] = edges.Average(e => e.Jaccard);
            // synchrony = mean over edges of 1 − (mean gap / window of the edge's dominant kind), in [0, 1]:
            // 1 when the accounts act at the same second, 0 at the edge of the window.
            f[4] = edges.Average(e => Math.Clamp(1 - e.Edge.MeanGapSeconds / windows.WindowFor(e.Edge.DominantKind).TotalSeconds, 0, 1));
            // *_share = occasions of those kinds / all occasions, over all edges.
            var byKind = new double[CoActivityKinds.Count];
            foreach (var e in edges)
            {
                for (var k = 0; k < Math.Min(byKind.Length, e.Edge.SupportByKind.Count); k++)
                {
                    byKind[k] += e.Edge.SupportByKind[k];
                }
            }
            var total = byKind.Sum();
            if (total > 0)
            {
                // content: identical and near-duplicate text, fingerprints and near-identical media;
                // hashtag: single hashtags and ordered hashtag sequences.
                f[5] = (byKind[(int)CoActivityKind.CoText] + byKind[(int)CoActivityKind.CoNearText]
                    + byKind[(int)CoActivityKind.CoFingerprint] + byKind[(int)CoActivityKind.CoMedia]) / total;
                f[6] = (byKind[(int)CoActivityKind.CoRepost] + byKind[(int)CoActivityKind.CoLike] + byKind[(int)CoActivityKind.CoReply]) / total;
                f[7] = byKind[(int)CoActivityKind.CoLink] / total;
                f[8] = (byKind[(int)CoActivityKind.CoHashtag] + byKind[(int)CoActivityKind.CoHashtagSequence]) / total;
            }
            // target_obscurity = Σ w / Σ s over edges: the mean of 1 / log2(1 + crowd) per occasion,
            // 1 when pairs co-act alone, near 0 inside large crowds.
            var supportSum = edges.Sum(e => (double)e.Edge.Support);
            f[13] = supportSum > 0 ? edges.Sum(e => e.Edge.Weight) / supportSum : 0;
        }
        // log_median_age_days = ln(1 + median age in days at last action), over members with a known creation time.
        var ages = members.Select(m => m.AgeDays).OfType<double>().Order().ToArray();
        f[9] = ages.Length > 0 ? Math.Log(1 + Median(ages)) : Math.Log(1 + 365);
        // creation_concentration = share of members created within 30 days of the median creation time.
        var created = members.Select(m => m.CreatedAt).OfType<DateTimeOffset>().Select(c => c.UtcTicks).Order().ToArray();
        if (created.Length > 0)
        {
            var median = created[created.Length / 2];
            f[10] = created.Count(c => Math.Abs(c - median) <= TimeSpan.FromDays(30).Ticks) / (double)created.Length;
        }
        // handle_digit_share = share of known handles that end in two or more digits.
        var handles = members.Select(m => m.Handle).OfType<string>().ToArray();
        if (handles.Length > 0)
        {
            f[11] = handles.Count(h => h.Length >= 2 && char.IsDigit(h[^1]) && char.IsDigit(h[^2])) / (double)handles.Length;
        }
        // mean_burstiness = mean of members' burstiness B.
        f[12] = n > 0 ? members.Average(m => m.Burstiness) : 0;
        if (edges.Count > 0)
        {
            // core_ratio = mean over members of k-core number / (n − 1): 1 for a clique, near 0 for a
            // chain or a star, whose members hang together through one or two accounts.
            var graph = WeightedGraph.FromEdges(edges.Select(e => (e.Edge.A, e.Edge.B, 1.0)), out var names);
            f[14] = n > 1 ? KCore.CoreNumbers(graph).Sum() / (double)n / (n - 1) : 0;
            // synchrony_spread = standard deviation over edges of the per-edge synchrony above: an
            // operation keeps all its pairs in step, a crowd has a few close pairs among many loose ones.
            var sync = edges.Select(e => Math.Clamp(1 - e.Edge.MeanGapSeconds / windows.WindowFor(e.Edge.DominantKind).TotalSeconds, 0, 1)).ToArray();
            var mean = sync.Average();
            f[15] = Math.Sqrt(sync.Sum(x => (x - mean) * (x - mean)) / sync.Length);
            // target_concentration = 1 − distinct targets / evidence samples, over the edges' samples:
            // near 1 when every pair's evidence is the same few targets pushed again and again.
            var samples = edges.SelectMany(e => e.Edge.Samples).ToArray();
            f[16] = samples.Length > 0 ? 1 - (samples.Select(x => (x.Kind, x.TargetKey)).Distinct().Count() / (double)samples.Length) : 0;
        }
        // labelled_share = share of members that carry a label (state-controlled media and the like).
        f[17] = n > 0 && labelled is { Count: > 0 } ? members.Count(m => labelled.Contains(m.Account)) / (double)n : 0;
        return f;
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
