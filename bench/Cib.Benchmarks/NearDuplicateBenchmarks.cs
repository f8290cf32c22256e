using BenchmarkDotNet.Attributes;
using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;
using Cib.Detection.Signals;
using Cib.Detection.Simulation;

namespace Cib.Benchmarks;

/// <summary>
/// What near-duplicate text costs: target extraction per post and the whole in-process pipeline on the
/// default simulated day, with the MinHash sketch on and off (off = no text has enough bigrams).
/// Divide by <see cref="Posts"/> for the cost per post.
/// </summary>
[MemoryDiagnoser]
public class NearDuplicateBenchmarks
{
    private Signal[] _signals = [];
    private Signal[] _posts = [];

    [Params(false, true)]
    public bool NearText { get; set; }

    /// <summary>Posts and replies with text in the day.</summary>
    public int Posts => _posts.Length;

    private CoActivityOptions Options => NearText ? new CoActivityOptions() : new CoActivityOptions { NearTextMinBigrams = int.MaxValue };

    [GlobalSetup]
    public void Setup()
    {
        _signals = [.. PlatformSimulator.Run(new SimulationOptions { Campaigns = 6, CampaignKinds = [CampaignKind.ParaphraseFarm, CampaignKind.CopyPasteText] }).Signals];
        _posts = [.. _signals.Where(s => s.Text is not null)];
    }

    [Benchmark]
    public int ExtractPostTargets()
    {
        var options = Options;
        var n = 0;
        foreach (var s in _posts)
        {
            foreach (var _ in TargetExtractor.Extract(s, options))
            {
                n++;
            }
        }
        return n;
    }

    [Benchmark]
    public int Pipeline() => InProcessPipeline.Run(_signals, Options, new DetectionOptions()).Edges.Count;
}
