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
        var ordered = InTimeOrder(signals);
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
        var extraction = new ChunkedExtraction(ordered, windows);
        for (var chunk = 0; chunk < extraction.Chunks; chunk++)
        {
            var (targets, taken) = extraction.Take(chunk);
            var ends = taken.Span;
            var from = 0;
            for (var i = 0; i < ends.Length; i++)
            {
                var s = ordered[(chunk * ChunkedExtraction.ChunkLength) + i];
                if (!behaviour.TryGetValue(s.Account, out var b))
                {
                    behaviour[s.Account] = b = new AccountBehaviour();
                }
                var actions = 0;
                for (var k = from; k < ends[i]; k++)
                {
                    var t = targets[k];
                    actions += TargetExtractor.CountsAsAction(t) ? 1 : 0;
                    evidence.Clear();
                    index.Add(s.Account, t, s.Timestamp.UtcTicks, evidence);
                    foreach (var e in evidence)
                    {
                        pairs.Add(e);
                    }
                }
                from = ends[i];
                b.Apply(s, actions);
            }
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

    /// <summary>
    /// The signals as an array in time order, ties in input order (a stable sort). Sorting buffers every
    /// signal anyway; the array serves the second pass for the cores too. Files and simulations are
    /// usually in time order already: one pass checks, and saves a sort of a million keys.
    /// </summary>
    private static Signal[] InTimeOrder(IEnumerable<Signal> signals)
    {
        var all = signals.ToArray();
        for (var i = 1; i < all.Length; i++)
        {
            if (all[i].Timestamp < all[i - 1].Timestamp)
            {
                return [.. all.OrderBy(s => s.Timestamp)];
            }
        }
        return all;
    }

    /// <summary>
    /// Target extraction (normalising, hashing and sketching texts, canonicalising URLs) depends on one
    /// signal only, and is a third of the work: it runs on worker threads a few chunks ahead of the
    /// windows, which must see the actions one at a time in time order. Results are taken in chunk
    /// order, so the windows see exactly the sequence a plain loop would give them.
    /// </summary>
    private sealed class ChunkedExtraction
    {
        /// <summary>Signals per chunk: large enough to amortise a task, small enough that the chunks in flight die young.</summary>
        public const int ChunkLength = 1024;

        // Chunks in flight: enough to keep a worker busy while the windows take a chunk. More costs more:
        // targets extracted far ahead (band keys, sketches) outlive the youngest generation and are copied.
        private const int Ahead = 2;

        private readonly Signal[] _signals;
        private readonly CoActivityOptions _options;
        private readonly Task?[] _tasks;

        // One buffer per chunk alive at once (the one being taken and those in flight), reused round
        // the ring: chunk c + Ahead is started by Take(c), when the windows are done with chunk c − 1,
        // whose buffer it gets.
        private readonly List<CoActivityTarget>[] _targets = new List<CoActivityTarget>[Ahead + 1];
        private readonly int[][] _ends = new int[Ahead + 1][];

        public ChunkedExtraction(Signal[] signals, CoActivityOptions options)
        {
            _signals = signals;
            _options = options;
            Chunks = (signals.Length + ChunkLength - 1) / ChunkLength;
            _tasks = new Task?[Chunks];
            for (var slot = 0; slot <= Ahead; slot++)
            {
                _targets[slot] = new List<CoActivityTarget>(ChunkLength * 3);
                _ends[slot] = new int[ChunkLength];
            }
            for (var c = 0; c < Math.Min(Ahead, Chunks); c++)
            {
                Start(c);
            }
        }

        public int Chunks { get; }

        /// <summary>
        /// The targets of chunk <paramref name="chunk"/>'s signals, concatenated, and where each signal's
        /// end; valid until the next call.
        /// </summary>
        public (List<CoActivityTarget> Targets, ReadOnlyMemory<int> Ends) Take(int chunk)
        {
            if (chunk + Ahead < Chunks)
            {
                Start(chunk + Ahead);
            }
            _tasks[chunk]!.GetAwaiter().GetResult();
            _tasks[chunk] = null;
            var slot = chunk % (Ahead + 1);
            return (_targets[slot], _ends[slot].AsMemory(0, Math.Min(ChunkLength, _signals.Length - (chunk * ChunkLength))));
        }

        private void Start(int chunk) => _tasks[chunk] = Task.Run(() => Extract(chunk));

        private void Extract(int chunk)
        {
            var from = chunk * ChunkLength;
            var count = Math.Min(ChunkLength, _signals.Length - from);
            var targets = _targets[chunk % (Ahead + 1)];
            var ends = _ends[chunk % (Ahead + 1)];
            targets.Clear();
            for (var i = 0; i < count; i++)
            {
                TargetExtractor.AddTargets(_signals[from + i], _options, targets);
                ends[i] = targets.Count;
            }
        }
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
        // Bands and blocks are candidates, not objects: the core is peeled over real targets, so texts
        // need no sketch here. The two halves of the signals are read at once and joined in order.
        var exact = windows with { NearTextMinBigrams = int.MaxValue };
        var halves = new List<(string, string)>[2][];
        Parallel.For(0, 2, half =>
        {
            var actions = analysis.Networks.Select(_ => new List<(string, string)>()).ToArray();
            var (from, to) = half == 0 ? (0, signals.Length / 2) : (signals.Length / 2, signals.Length);
            for (var k = from; k < to; k++)
            {
                var s = signals[k];
                if (networkOf.TryGetValue(s.Account, out var i))
                {
                    foreach (var t in TargetExtractor.Extract(s, exact))
                    {
                        if (t.Sketch is null)
                        {
                            actions[i].Add((s.Account, t.ToString()));
                        }
                    }
                }
            }
            halves[half] = actions;
        });
        var cores = new NetworkCore?[analysis.Networks.Count];
        Parallel.For(0, cores.Length, i => cores[i] = NetworkCore.Find(halves[0][i].Concat(halves[1][i])));
        return analysis with { Networks = [.. analysis.Networks.Select((n, i) => n with { Core = cores[i] ?? n.Core })] };
    }
}
