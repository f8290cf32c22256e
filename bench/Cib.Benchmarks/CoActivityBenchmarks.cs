using BenchmarkDotNet.Attributes;
using Cib.Detection.CoActivity;

namespace Cib.Benchmarks;

/// <summary>The online kernel: actions through per-target windows into pair aggregation.</summary>
[MemoryDiagnoser]
public class CoActivityBenchmarks
{
    private (string Account, CoActivityTarget Target, long Ticks)[] _actions = [];

    [Params(100_000, 1_000_000)]
    public int Actions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        _actions = new (string, CoActivityTarget, long)[Actions];
        for (var i = 0; i < Actions; i++)
        {
            // Heavy-tailed targets: a few hot posts, a long tail of quiet ones.
            var target = (int)Math.Floor(Math.Pow(random.NextDouble(), 3) * (Actions / 20));
            _actions[i] = ($"u{random.Next(Actions / 10)}", new CoActivityTarget(CoActivityKind.CoRepost, $"p{target}"), start + ((long)i * TimeSpan.TicksPerDay / Actions));
        }
    }

    [Benchmark]
    public int WindowsAndPairs()
    {
        var options = new CoActivityOptions();
        var index = new CoActivityIndex(options);
        var pairs = new PairAggregator(options);
        var evidence = new List<CoActivityEvidence>();
        foreach (var (account, target, ticks) in _actions)
        {
            evidence.Clear();
            index.Add(account, target, ticks, evidence);
            foreach (var e in evidence)
            {
                pairs.Add(e);
            }
        }
        return pairs.Count;
    }
}
