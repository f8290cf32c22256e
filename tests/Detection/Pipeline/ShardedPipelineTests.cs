using System.Globalization;
using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;
using Cib.Detection.Simulation;

namespace Cib.Detection.Tests.Pipeline;

/// <summary>
/// Sharding the windows by target must not change a single bit of the result: every field of every
/// edge (samples, days and floating sums included), every account's features and every network.
/// </summary>
public class ShardedPipelineTests
{
    public static TheoryData<string> Scenarios => ["campaigns", "near duplicates"];

    private static SimulationResult Simulate(string scenario) => PlatformSimulator.Run(scenario switch
    {
        "campaigns" => new SimulationOptions { Seed = 5, OrganicAccounts = 3000 },
        // Content occasions (a pair of posts) are seen through several targets (text, bands, fingerprint,
        // media) that fall in different shards: the case where arrival order decides weights and samples.
        _ => new SimulationOptions
        {
            Seed = 9,
            OrganicAccounts = 2000,
            Campaigns = 4,
            CampaignKinds = [CampaignKind.ParaphraseFarm, CampaignKind.MediaFarm, CampaignKind.CopyPasteText, CampaignKind.ContentFarm],
            MemeWaves = 1,
        },
    });

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Sharded_windows_give_exactly_the_single_threaded_edges_accounts_and_networks(string scenario)
    {
        var sim = Simulate(scenario);
        var single = InProcessPipeline.Run(sim.Signals, new CoActivityOptions(), new DetectionOptions(), shards: 1);
        Assert.NotEmpty(single.Analysis.Networks);
        Assert.True(single.Edges.Count > 1000, $"only {single.Edges.Count} edges");
        if (scenario == "near duplicates")
        {
            Assert.Contains(single.Edges, e => e.SupportByKind[(int)CoActivityKind.CoNearText] > 0 && e.SupportByKind[(int)CoActivityKind.CoText] > 0);
            Assert.Contains(single.Edges, e => e.SupportByKind[(int)CoActivityKind.CoMedia] > 0);
        }
        foreach (var shards in new[] { 2, 3 })
        {
            var sharded = InProcessPipeline.Run(sim.Signals, new CoActivityOptions(), new DetectionOptions(), shards: shards);
            Assert.Equal(Dump(single.Edges), Dump(sharded.Edges));
            Assert.Equal(Dump(single.Accounts.Values), Dump(sharded.Accounts.Values));
            Assert.Equal(Dump(single.Analysis), Dump(sharded.Analysis));
        }
    }

    [Fact]
    public void Shard_count_out_of_range_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InProcessPipeline.Run([], new CoActivityOptions(), new DetectionOptions(), shards: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => InProcessPipeline.Run([], new CoActivityOptions(), new DetectionOptions(), shards: InProcessPipeline.MaxShards + 1));
    }

    private static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string Join<T>(IEnumerable<T> items, Func<T, string> form) => string.Join(",", items.Select(form));

    private static List<string> Dump(IEnumerable<EdgeSummary> edges) => [.. edges.Select(Dump)];

    private static string Dump(EdgeSummary e) =>
        $"{e.A} {e.B} s={e.Support} w={R(e.Weight)} kinds=[{Join(e.SupportByKind, k => k.ToString(CultureInfo.InvariantCulture))}] " +
        $"gap={R(e.MeanGapSeconds)} {e.FirstSeen.UtcTicks}-{e.LastSeen.UtcTicks} a={e.ActionsA} b={e.ActionsB} " +
        $"days=[{Join(e.ActiveDays, d => d.DayNumber.ToString(CultureInfo.InvariantCulture))}] " +
        $"samples=[{Join(e.Samples, x => $"{x.Kind}:{x.TargetKey}@{x.TimeA.UtcTicks}/{x.TimeB.UtcTicks}")}]";

    private static List<string> Dump(IEnumerable<AccountFeatures> accounts) =>
        [.. accounts.Select(a => $"{a.Account} {a.FirstSeen?.UtcTicks} {a.LastSeen?.UtcTicks} {a.Actions} {a.CoActivityActions} " +
            $"[{Join(a.ActionsByKind, n => n.ToString(CultureInfo.InvariantCulture))}] {R(a.Burstiness)} " +
            $"[{Join(a.CoActivityByDay, d => $"{d.Day.DayNumber}:{d.Actions}")}]")];

    private static List<string> Dump(AnalysisResult analysis) =>
        [$"reference={analysis.ReferenceGroups} edges={analysis.Edges}",
            .. analysis.Networks.Select(n =>
                $"{n.Id} members=[{string.Join(",", n.Cluster.Members)}] features=[{Join(n.Cluster.Features, R)}] " +
                $"edges=[{Join(n.Cluster.Edges, x => $"{Dump(x.Edge)} j={R(x.Jaccard)}")}] " +
                $"score={R(n.Score.Score)} {R(n.Score.ReconstructionError)} {R(n.Score.RobustZ)} {R(n.Score.NormalizedError)} " +
                $"{R(n.Score.ForestScore)} {R(n.Score.TailProbability)} [{Join(n.Score.Contributions, R)}] " +
                $"core=[{(n.Core is { } c ? $"{string.Join(",", c.Accounts)} {string.Join(",", c.Targets)} {R(c.Density)} {c.Actions}" : "")}]")];
}
