using BenchmarkDotNet.Attributes;
using Cib.Detection.Scoring;

namespace Cib.Benchmarks;

/// <summary>The scoring kernel: fitting the PCA + isolation-forest ensemble on a reference set of
/// network feature rows, and scoring rows with it.</summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private List<double[]> _rows = [];
    private EnsembleScorer _scorer = null!;

    [Params(1_000, 10_000)]
    public int Networks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rows = KernelInputs.Features(Networks, 12);
        _scorer = EnsembleScorer.Fit(_rows, seed: 1);
    }

    [Benchmark]
    public string Fit() => EnsembleScorer.Fit(_rows, seed: 1).Version;

    [Benchmark]
    public double ScoreAll()
    {
        var sum = 0.0;
        foreach (var row in _rows)
        {
            sum += _scorer.Score(row).Score;
        }
        return sum;
    }
}
