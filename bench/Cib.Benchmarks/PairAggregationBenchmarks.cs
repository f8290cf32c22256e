using BenchmarkDotNet.Attributes;
using Cib.Detection.Batch;
using Cib.Detection.CoActivity;

namespace Cib.Benchmarks;

/// <summary>The pair kernels: online aggregation of evidence into edges, and batch counting of the
/// toolkit's co-retweet pairs (window sweep, sharded radix sort and run counting).</summary>
[MemoryDiagnoser]
public class PairAggregationBenchmarks
{
    private List<EvidenceItem> _evidence = [];
    private ToolkitMessages _messages = new();

    [Params(100_000, 300_000)]
    public int Actions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var index = new CoActivityIndex(new CoActivityOptions());
        var evidence = new List<EvidenceItem>();
        _evidence = [];
        foreach (var (account, target, ticks) in KernelInputs.Actions(Actions))
        {
            evidence.Clear();
            index.Add(account, target, ticks, evidence);
            _evidence.AddRange(evidence);
        }
        _messages = new ToolkitMessages();
        var i = 0;
        foreach (var (account, target, ticks) in KernelInputs.Actions(Actions))
        {
            _messages.Add($"{i++}", account, target.Key, "", (ticks - KernelInputs.Start) / (double)TimeSpan.TicksPerSecond);
        }
    }

    [Benchmark]
    public int OnlineAggregation()
    {
        var pairs = new PairAggregator(new CoActivityOptions());
        foreach (var e in _evidence)
        {
            pairs.Add(e);
        }
        return pairs.Edges(2).Count;
    }

    [Benchmark]
    public int ToolkitCoRetweet() => ToolkitNetworks.Compute(_messages, ToolkitNetworkKind.CoRetweet).Count;
}
