using BenchmarkDotNet.Attributes;
using Cib.Detection.CoActivity;

namespace Cib.Benchmarks;

/// <summary>The online kernel: actions through per-target windows into pair aggregation.</summary>
[MemoryDiagnoser]
public class CoActivityBenchmarks
{
    private (string Account, CoActivityTarget Target, long Ticks)[] _actions = [];

    [Params(100_000, 300_000)]
    public int Actions { get; set; }

    [GlobalSetup]
    public void Setup() => _actions = KernelInputs.Actions(Actions);

    [Benchmark]
    public int WindowsAndPairs()
    {
        var options = new CoActivityOptions();
        var index = new CoActivityIndex(options);
        var pairs = new PairAggregator(options);
        var evidence = new List<EvidenceItem>();
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
