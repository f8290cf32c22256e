using System.Runtime.InteropServices;
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
    /// <summary>The most window shards a run takes: a shard's number is kept in a byte per target.</summary>
    public const int MaxShards = 64;

    /// <summary>
    /// Window shards when none are asked for: one, the windows on the calling thread. Two shards gave ×1.1 to
    /// ×1.34 on 2 cores when one was free, and ×0.71 to ×1.13 when other work kept both busy (bench/RESULTS.md,
    /// 2026-11-30): below the ×1.15 asked of them in paired runs, so they are opt-in (<c>shards: 2</c>,
    /// <c>cib bench --shards 2</c>) until the pipeline's total CPU falls.
    /// </summary>
    public const int DefaultShards = 1;

    /// <summary>
    /// Runs the pipeline over <paramref name="signals"/> (any order: they are sorted by time first). With
    /// <paramref name="estimateWindows"/>, each kind's window is first estimated from the signals as
    /// CooRnet does (<see cref="WindowEstimator"/>) and replaces the configured one. With
    /// <paramref name="phases"/>, the wall time of each phase is recorded there. The windows run in
    /// <paramref name="shards"/> partitions of the target space on as many threads (0: <see cref="DefaultShards"/>;
    /// 1: on the calling thread); the result does not depend on it.
    /// </summary>
    public static PipelineResult Run(IEnumerable<Signal> signals, CoActivityOptions windows, DetectionOptions detection, bool estimateWindows = false,
        ToolkitPhaseTimes? phases = null, int shards = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shards);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shards, MaxShards);
        shards = shards == 0 ? DefaultShards : shards;
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
        var (pairs, behaviour) = shards == 1 ? CoActivity(ordered, windows) : ShardedCoActivity(ordered, windows, shards);
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

    /// <summary>Windows, pairs and behaviour on one thread (target extraction runs ahead on a worker).</summary>
    private static (PairAggregator, Dictionary<string, AccountBehaviour>) CoActivity(Signal[] ordered, CoActivityOptions windows)
    {
        var pairs = new PairAggregator(windows);
        var behaviour = new Dictionary<string, AccountBehaviour>(StringComparer.Ordinal);
        var extraction = new ChunkedExtraction(ordered, windows, shards: 1);
        var inline = new InlineWindows(new CoActivityIndex(windows), []);
        for (var chunk = 0; chunk < extraction.Chunks; chunk++)
        {
            Aggregate(ordered, extraction.Take(chunk), ref inline, pairs, behaviour);
        }
        return (pairs, behaviour);
    }

    /// <summary>
    /// The windows in <paramref name="shards"/> partitions of the target space (a target's shard is its
    /// <see cref="CoActivityTarget.StableHash"/> modulo the count), each with its own
    /// <see cref="CoActivityIndex"/> on its own thread, a chunk ahead of one thread that feeds their evidence
    /// to one <see cref="PairAggregator"/> and applies behaviour. A window sees every action on its target in
    /// time order, so it makes the same evidence in any shard; the evidence is taken back in the order of
    /// the (signal, target) that made it, so the aggregator sees exactly the sequence of the single thread.
    /// Pairs are not aggregated per shard and merged: an occasion of content is a pair of posts seen
    /// through several targets (text, bands, fingerprint, media) in different shards, and which view
    /// arrives first decides its crowd weight and sample, as the order of arrival decides the rounding of
    /// weight and gap sums; per-shard aggregators would need every occasion's arrival kept to merge exactly.
    /// </summary>
    private static (PairAggregator, Dictionary<string, AccountBehaviour>) ShardedCoActivity(Signal[] ordered, CoActivityOptions windows, int shards)
    {
        var pairs = new PairAggregator(windows);
        var behaviour = new Dictionary<string, AccountBehaviour>(StringComparer.Ordinal);
        var extraction = new ChunkedExtraction(ordered, windows, shards);
        var windowShards = new WindowShard[shards];
        for (var s = 0; s < shards; s++)
        {
            windowShards[s] = new WindowShard(s, new CoActivityIndex(windows));
        }
        var running = new Task[shards];
        var previous = default(ChunkTargets);
        // Chunk c's windows run while chunk c − 1's evidence is aggregated; a shard's next chunk starts
        // only after its previous one ended, so each index has one thread at a time, in chunk order.
        for (var chunk = 0; chunk <= extraction.Chunks; chunk++)
        {
            var taken = default(ChunkTargets);
            if (chunk < extraction.Chunks)
            {
                taken = extraction.Take(chunk);
            }
            if (chunk > 0)
            {
                foreach (var task in running)
                {
                    task.GetAwaiter().GetResult();
                }
            }
            if (chunk < extraction.Chunks)
            {
                var parity = chunk & 1;
                var current = taken;
                foreach (var shard in windowShards)
                {
                    running[shard.Number] = Task.Run(() => shard.Run(ordered, current, parity));
                }
            }
            if (chunk > 0)
            {
                var source = new ShardedEvidence(windowShards, (chunk - 1) & 1);
                Aggregate(ordered, previous, ref source, pairs, behaviour);
            }
            previous = taken;
        }
        return (pairs, behaviour);
    }

    /// <summary>
    /// Feeds one chunk's evidence to <paramref name="pairs"/> in (signal, target) order, as
    /// <paramref name="source"/> makes or hands it, and applies behaviour.
    /// </summary>
    private static void Aggregate<TSource>(Signal[] ordered, ChunkTargets chunk, ref TSource source, PairAggregator pairs,
        Dictionary<string, AccountBehaviour> behaviour)
        where TSource : struct, IEvidenceSource
    {
        var ends = chunk.Ends.Span;
        var from = 0;
        for (var i = 0; i < ends.Length; i++)
        {
            var s = ordered[chunk.FirstSignal + i];
            var b = BehaviourOf(behaviour, s.Account);
            var actions = 0;
            for (var k = from; k < ends[i]; k++)
            {
                actions += TargetExtractor.CountsAsAction(chunk.Targets[k]) ? 1 : 0;
                source.Feed(s, in chunk, k, pairs);
            }
            from = ends[i];
            b.Apply(s, actions);
        }
    }

    /// <summary>Where the evidence of target <c>k</c> of a chunk comes from: a struct, so the loop is compiled for each.</summary>
    private interface IEvidenceSource
    {
        void Feed(Signal signal, in ChunkTargets chunk, int k, PairAggregator pairs);
    }

    /// <summary>The windows run here, one target at a time.</summary>
    private readonly struct InlineWindows(CoActivityIndex index, List<EvidenceItem> evidence) : IEvidenceSource
    {
        public void Feed(Signal signal, in ChunkTargets chunk, int k, PairAggregator pairs)
        {
            evidence.Clear();
            index.Add(signal.Account, chunk.Targets[k], signal.Timestamp.UtcTicks, evidence);
            foreach (ref readonly var e in CollectionsMarshal.AsSpan(evidence))
            {
                pairs.Add(in e);
            }
        }
    }

    /// <summary>The shards ran the windows: each target's evidence is the next run in its shard's buffer.</summary>
    private readonly struct ShardedEvidence(WindowShard[] shards, int parity) : IEvidenceSource
    {
        private readonly int[] _evidenceAt = new int[shards.Length];
        private readonly int[] _targetAt = new int[shards.Length];

        public void Feed(Signal signal, in ChunkTargets chunk, int k, PairAggregator pairs)
        {
            var shard = chunk.ShardOf.Span[k];
            var evidence = CollectionsMarshal.AsSpan(shards[shard].Evidence[parity]);
            for (var n = shards[shard].Made[parity][_targetAt[shard]++]; n > 0; n--)
            {
                pairs.Add(in evidence[_evidenceAt[shard]++]);
            }
        }
    }

    private static AccountBehaviour BehaviourOf(Dictionary<string, AccountBehaviour> behaviour, string account)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(behaviour, account, out var exists);
        if (!exists)
        {
            slot = new AccountBehaviour();
        }
        return slot!;
    }

    /// <summary>
    /// One partition of the target space: its windows, and per chunk (two in flight, by parity) the
    /// evidence its targets made, in order, and how many pieces each of its targets made.
    /// </summary>
    private sealed class WindowShard(int number, CoActivityIndex index)
    {
        public int Number { get; } = number;

        public List<EvidenceItem>[] Evidence { get; } = [[], []];

        public List<int>[] Made { get; } = [[], []];

        public void Run(Signal[] ordered, ChunkTargets chunk, int parity)
        {
            var evidence = Evidence[parity];
            var made = Made[parity];
            evidence.Clear();
            made.Clear();
            var ends = chunk.Ends.Span;
            var shardOf = chunk.ShardOf.Span;
            var from = 0;
            for (var i = 0; i < ends.Length; i++)
            {
                for (var k = from; k < ends[i]; k++)
                {
                    if (shardOf[k] == Number)
                    {
                        var s = ordered[chunk.FirstSignal + i];
                        var before = evidence.Count;
                        index.Add(s.Account, chunk.Targets[k], s.Timestamp.UtcTicks, evidence);
                        made.Add(evidence.Count - before);
                    }
                }
                from = ends[i];
            }
        }
    }

    /// <summary>The targets of one chunk's signals, concatenated; where each signal's end; and each target's shard.</summary>
    private readonly record struct ChunkTargets(int FirstSignal, List<CoActivityTarget> Targets, ReadOnlyMemory<int> Ends, ReadOnlyMemory<byte> ShardOf);

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

        // One buffer per chunk alive at once (the one being taken, the one before it, whose evidence the
        // sharded run aggregates meanwhile, and those in flight), reused round the ring: chunk c + Ahead
        // is started by Take(c), when every thread is done with chunk c − 2, whose buffer it gets.
        private const int Slots = Ahead + 2;

        private readonly Signal[] _signals;
        private readonly CoActivityOptions _options;
        private readonly int _shards;
        private readonly Task?[] _tasks;
        private readonly List<CoActivityTarget>[] _targets = new List<CoActivityTarget>[Slots];
        private readonly int[][] _ends = new int[Slots][];
        private readonly byte[][] _shardOf = new byte[Slots][];

        public ChunkedExtraction(Signal[] signals, CoActivityOptions options, int shards)
        {
            _signals = signals;
            _options = options;
            _shards = shards;
            Chunks = (signals.Length + ChunkLength - 1) / ChunkLength;
            _tasks = new Task?[Chunks];
            for (var slot = 0; slot < Slots; slot++)
            {
                _targets[slot] = new List<CoActivityTarget>(ChunkLength * 3);
                _ends[slot] = new int[ChunkLength];
                _shardOf[slot] = shards == 1 ? [] : new byte[ChunkLength * 3];
            }
            for (var c = 0; c < Math.Min(Ahead, Chunks); c++)
            {
                Start(c);
            }
        }

        public int Chunks { get; }

        /// <summary>
        /// The targets of chunk <paramref name="chunk"/>'s signals (with their shards when there are several);
        /// valid until the call for chunk + 2.
        /// </summary>
        public ChunkTargets Take(int chunk)
        {
            if (chunk + Ahead < Chunks)
            {
                Start(chunk + Ahead);
            }
            _tasks[chunk]!.GetAwaiter().GetResult();
            _tasks[chunk] = null;
            var slot = chunk % Slots;
            var first = chunk * ChunkLength;
            var targets = _targets[slot];
            return new ChunkTargets(first, targets, _ends[slot].AsMemory(0, Math.Min(ChunkLength, _signals.Length - first)),
                _shardOf[slot].AsMemory(0, _shards == 1 ? 0 : targets.Count));
        }

        private void Start(int chunk) => _tasks[chunk] = Task.Run(() => Extract(chunk));

        private void Extract(int chunk)
        {
            var from = chunk * ChunkLength;
            var count = Math.Min(ChunkLength, _signals.Length - from);
            var slot = chunk % Slots;
            var targets = _targets[slot];
            var ends = _ends[slot];
            targets.Clear();
            for (var i = 0; i < count; i++)
            {
                TargetExtractor.AddTargets(_signals[from + i], _options, targets);
                ends[i] = targets.Count;
            }
            if (_shards > 1)
            {
                if (_shardOf[slot].Length < targets.Count)
                {
                    _shardOf[slot] = new byte[targets.Count * 2];
                }
                var shardOf = _shardOf[slot];
                for (var k = 0; k < targets.Count; k++)
                {
                    shardOf[k] = (byte)(targets[k].StableHash() % (ulong)_shards);
                }
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
