using Cib.Detection.CoActivity;
using Cib.Detection.Evaluation;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;

namespace Cib.Detection.Tests.Networks;

public class NetworkCoreTests
{
    [Fact]
    public void The_core_of_a_camouflaged_campaign_keeps_its_own_targets_and_drops_the_honest_ones()
    {
        var actions = new List<(string, string)>();
        for (var a = 0; a < 8; a++)
        {
            for (var t = 0; t < 5; t++)
            {
                actions.Add(($"m{a}", $"campaign-{t}"));
            }
            // Camouflage: each member also acts on honest targets that many ordinary accounts share.
            for (var t = 0; t < 12; t++)
            {
                actions.Add(($"m{a}", $"honest-{(a * 12) + t}"));
            }
        }
        for (var o = 0; o < 200; o++)
        {
            actions.Add(($"o{o}", $"honest-{o % 96}"));
        }
        var core = NetworkCore.Find(actions);
        Assert.NotNull(core);
        Assert.Equal(Enumerable.Range(0, 8).Select(a => $"m{a}"), core.Accounts);
        Assert.Equal(Enumerable.Range(0, 5).Select(t => $"campaign-{t}"), core.Targets);
        Assert.Equal(40, core.Actions);
    }

    [Fact]
    public void No_actions_no_core()
    {
        Assert.Null(NetworkCore.Find([]));
    }

    [Fact]
    public void Every_network_of_a_camouflage_run_has_a_core_of_its_own_members_on_few_targets()
    {
        var data = EvaluationScenarios.Find("camouflage")!.Build();
        var result = InProcessPipeline.Run(data.Signals, new CoActivityOptions(), new DetectionOptions());
        Assert.NotEmpty(result.Analysis.Networks);
        foreach (var n in result.Analysis.Networks)
        {
            var core = Assert.IsType<NetworkCore>(n.Core);
            Assert.All(core.Accounts, a => Assert.Contains(a, n.Cluster.Members));
            // FRAUDAR may keep a denser sub-block (members who joined more of the actions), never a token few.
            Assert.True(core.Accounts.Count >= 0.4 * n.Cluster.Members.Count, $"{n.Id}: core of {core.Accounts.Count} of {n.Cluster.Members.Count} members");
            // Members act on hundreds of honest targets between them; the core keeps the campaign's few.
            var actedOn = data.Signals.Where(s => n.Cluster.Members.Contains(s.Account)).SelectMany(TargetExtractor.Extract).Distinct().Count();
            Assert.True(core.Targets.Count * 4 < actedOn, $"{n.Id}: {core.Targets.Count} core targets of {actedOn}");
        }
    }
}
