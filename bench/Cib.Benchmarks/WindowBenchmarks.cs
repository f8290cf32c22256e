using BenchmarkDotNet.Attributes;
using Cib.Detection.CoActivity;

namespace Cib.Benchmarks;

/// <summary>The window kernel alone: actions through per-target sliding windows, evidence counted, not aggregated.</summary>
[MemoryDiagnoser]
public class WindowBenchmarks
{
    private (string Account, CoActivityTarget Target, long Ticks)[] _actions = [];

    [Params(100_000, 300_000)]
    public int Actions { get; set; }

    [GlobalSetup]
    public void Setup() => _actions = KernelInputs.Actions(Actions);

    [Benchmark]
    public long Windows()
    {
        var index = new CoActivityIndex(new CoActivityOptions());
        var evidence = new List<EvidenceItem>();
        long total = 0;
        foreach (var (account, target, ticks) in _actions)
        {
            evidence.Clear();
            index.Add(account, target, ticks, evidence);
            total += evidence.Count;
        }
        return total;
    }
}
