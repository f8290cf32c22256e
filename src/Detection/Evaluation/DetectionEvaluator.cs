using System.Diagnostics;
using Cib.Detection.CoActivity;
using Cib.Detection.Graphs;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;

namespace Cib.Detection.Evaluation;

/// <summary>Runs the in-process pipeline on a labelled data set and measures its networks against the truth.</summary>
public static class DetectionEvaluator
{
    /// <summary>Runs and measures; with <paramref name="estimateWindows"/> the windows are estimated from the data (<see cref="WindowEstimator"/>).</summary>
    public static EvaluationReport Evaluate(LabelledDataset data, CoActivityOptions windows, DetectionOptions detection, bool estimateWindows = false)
    {
        var clock = Stopwatch.StartNew();
        var result = InProcessPipeline.Run(data.Signals, windows, detection, estimateWindows);
        clock.Stop();
        var flagged = result.Analysis.Networks.Where(n => n.Score.Score >= detection.TakedownThreshold).Select(n => n.Cluster.Members).ToList();
        return Measure(data, flagged, result.Analysis.Networks.Count, clock.Elapsed) with
        {
            Windows = Enum.GetValues<CoActivityKind>().ToDictionary(k => k, result.Windows.WindowFor),
            WindowsEstimated = estimateWindows,
        };
    }

    /// <summary>Measures flagged networks (member lists, disjoint) against the truth of <paramref name="data"/>.</summary>
    public static EvaluationReport Measure(LabelledDataset data, IReadOnlyList<IReadOnlyList<string>> flagged, int networks, TimeSpan elapsed)
    {
        var members = flagged.SelectMany(m => m).ToList();
        var metrics = AccountMetrics.Compute(members, data.GroupOf.Keys, data.Accounts);
        double? coverage = data.Eligible is { Count: > 0 } eligible
            ? members.Count(eligible.Contains) / (double)eligible.Count
            : null;
        return new EvaluationReport(data.Name, data.Signals.Count, metrics, AdjustedRand(data, flagged), PairPrecision(data, flagged), coverage, networks, flagged.Count, elapsed);
    }

    /// <summary>ARI of network labels against group labels over flagged accounts; an organic account is a singleton group.</summary>
    public static double AdjustedRand(LabelledDataset data, IReadOnlyList<IReadOnlyList<string>> flagged)
    {
        var groupIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var found = new List<int>();
        var truth = new List<int>();
        for (var n = 0; n < flagged.Count; n++)
        {
            foreach (var account in flagged[n])
            {
                found.Add(n);
                var key = data.GroupOf.TryGetValue(account, out var g) ? "group:" + g : "organic:" + account;
                if (!groupIds.TryGetValue(key, out var id))
                {
                    groupIds[key] = id = groupIds.Count;
                }
                truth.Add(id);
            }
        }
        return AdjustedRandIndex.Compute(found.ToArray(), truth.ToArray());
    }

    /// <summary>
    /// Σ over networks of Σ over groups C(n_g) / Σ over networks C(n), with n_g a network's members of
    /// group g (organic members never share a group) and C(x) = x(x − 1)/2; 1 when no network has two members.
    /// </summary>
    public static double PairPrecision(LabelledDataset data, IReadOnlyList<IReadOnlyList<string>> flagged)
    {
        double same = 0, all = 0;
        foreach (var network in flagged)
        {
            all += Pairs(network.Count);
            foreach (var group in network.Where(data.GroupOf.ContainsKey).GroupBy(a => data.GroupOf[a], StringComparer.Ordinal))
            {
                same += Pairs(group.Count());
            }
        }
        return all == 0 ? 1 : same / all;
    }

    private static double Pairs(long x) => x * (x - 1) / 2.0;
}
