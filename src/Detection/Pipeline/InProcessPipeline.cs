using Cib.Detection.Batch;
using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Signals;

namespace Cib.Detection.Pipeline;

/// <summary>What an in-process run produced.</summary>
/// <param name="Analysis">Networks, model and counts.</param>
/// <param name="Accounts">Features of every account seen.</param>
/// <param name="Edges">Pairs with at least the reference support.</param>
public sealed record PipelineResult(AnalysisResult Analysis, IReadOnlyDictionary<string, AccountFeatures> Accounts, IReadOnlyList<EdgeSummary> Edges)
{
    /// <summary>The options the run used, with the windows it used (estimated ones when asked for).</summary>
    public CoActivityOptions Windows { get; init; } = new();

    /// <summary>The per-kind estimates when the windows were estimated (<see cref="WindowEstimator"/>), else null.</summary>
    public IReadOnlyList<WindowEstimate>? WindowEstimates { get; init; }
}

/// <summary>
/// The same kernels as the grains (target extraction, windows, pair aggregation, analysis), run in
/// one process over signals in time order: for batch analysis of files and for evaluation.
/// </summary>
public static class InProcessPipeline
{
    /// <summary>
    /// Runs the pipeline over <paramref name="signals"/> (any order: they are sorted by time first). With
    /// <paramref name="estimateWindows"/>, each kind's window is first estimated from the signals as
    /// CooRnet does (<see cref="WindowEstimator"/>) and replaces the configured one. With
    /// <paramref name="phases"/>, the wall time of each phase is recorded there.
    /// </summary>
    public static PipelineResult Run(IEnumerable<Signal> signals, CoActivityOptions windows, DetectionOptions detection, bool estimateWindows = false,
        ToolkitPhaseTimes? phases = null)
    {
        var clock = new PhaseClock(phases);
        // Sorting buffers every signal anyway; the array serves the second pass for the cores too.
        var ordered = signals.OrderBy(s => s.Timestamp).ToArray();
        clock.Lap("sort signals by time");
        IReadOnlyList<WindowEstimate>? estimates = null;
        if (estimateWindows)
        {
            estimates = WindowEstimator.Estimate(ExactTargets(ordered, windows), windows);
            windows = WindowEstimator.Apply(windows, estimates).Validate();
            clock.Lap("estimate windows");
        }
        var index = new CoActivityIndex(windows);
        var pairs = new PairAggregator(windows);
        var behaviour = new Dictionary<string, AccountBehaviour>(StringComparer.Ordinal);
        var evidence = new List<CoActivityEvidence>();
        foreach (var s in ordered)
        {
            if (!behaviour.TryGetValue(s.Account, out var b))
            {
                behaviour[s.Account] = b = new AccountBehaviour();
            }
            var targets = 0;
            foreach (var t in TargetExtractor.Extract(s, windows))
            {
                targets += TargetExtractor.CountsAsAction(t) ? 1 : 0;
                evidence.Clear();
                index.Add(s.Account, t, s.Timestamp.UtcTicks, evidence);
                foreach (var e in evidence)
                {
                    pairs.Add(e);
                }
            }
            b.Apply(s, targets);
        }
        clock.Lap("targets, windows, pairs, behaviour");
        var accounts = behaviour.ToDictionary(kv => kv.Key, kv => kv.Value.Snapshot(kv.Key), StringComparer.Ordinal);
        clock.Lap("account features");
        var edges = pairs.Edges(detection.ReferenceMinSupport);
        clock.Lap("edge summaries");
        var analysis = NetworkAnalysis.Run(edges, accounts, windows, detection, new Dictionary<string, string>(), new Dictionary<string, int>());
        clock.Lap("clusters, reference groups, scoring");
        var cored = WithFullCores(analysis, ordered, windows);
        clock.Lap("network cores");
        return new PipelineResult(cored, accounts, edges) { Windows = windows, WindowEstimates = estimates };
    }

    // Sketches cost as much as the run itself would spend on them and the estimate skips them: text is
    // estimated once, without its bands.
    private static IEnumerable<(CoActivityTarget, long)> ExactTargets(Signal[] ordered, CoActivityOptions windows)
    {
        var exact = windows with { NearTextMinBigrams = int.MaxValue };
        foreach (var s in ordered)
        {
            foreach (var t in TargetExtractor.Extract(s, exact))
            {
                if (t.Sketch is null)
                {
                    yield return (t, s.Timestamp.UtcTicks);
                }
            }
        }
    }

    /// <summary>
    /// In batch every action of every member is at hand, so each network's core is peeled from all
    /// of them, the honest targets a camouflaged campaign also acts on included, not only from the
    /// sampled evidence.
    /// </summary>
    private static AnalysisResult WithFullCores(AnalysisResult analysis, Signal[] signals, CoActivityOptions windows)
    {
        var networkOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < analysis.Networks.Count; i++)
        {
            foreach (var m in analysis.Networks[i].Cluster.Members)
            {
                networkOf[m] = i;
            }
        }
        var actions = analysis.Networks.Select(_ => new List<(string, string)>()).ToArray();
        foreach (var s in signals)
        {
            if (networkOf.TryGetValue(s.Account, out var i))
            {
                // Bands and blocks are candidates, not objects: the core is peeled over real targets.
                foreach (var t in TargetExtractor.Extract(s, windows))
                {
                    if (t.Sketch is null)
                    {
                        actions[i].Add((s.Account, t.ToString()));
                    }
                }
            }
        }
        return analysis with { Networks = [.. analysis.Networks.Select((n, i) => n with { Core = NetworkCore.Find(actions[i]) ?? n.Core })] };
    }
}
