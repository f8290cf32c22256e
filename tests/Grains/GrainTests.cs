using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;
using Cib.Detection.Signals;
using Cib.Detection.Simulation;
using Cib.Grains.Interfaces;

namespace Cib.Grains.Tests;

public class GrainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private static TakedownEntry Entry(string account, string network, string decidedBy = "model:rpca-1:test") =>
        new(0, TakedownKinds.Takedown, account, network, TakedownActions.Remove, 0.95, "rpca-1:test", decidedBy, "test", T0);

    [Fact]
    public async Task An_exemption_withholds_enforcement_once_and_stops_applying_when_it_expires()
    {
        await using var host = await GrainHost.StartAsync();
        var governance = host.Grains.GetGrain<IGovernanceGrain>(SweepGrainKeys.Default);
        var exemption = await governance.AddExemptionAsync(new ExemptionRequest("a", null, "election period review", "policy team", DateTimeOffset.UtcNow.AddSeconds(1.5)), "admin (k1)");
        var ledger = host.Grains.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default);
        Assert.Equal(2, await ledger.AppendAsync(new TakedownBatch([Entry("a", "n1"), Entry("b", "n1")])));
        Assert.Equal(0, await ledger.AppendAsync(new TakedownBatch([Entry("a", "n1")])));
        var page = await ledger.ReadAsync(0, 10);
        Assert.True(page.Entries.Single(e => e.Account == "a").Withheld);
        Assert.Equal(exemption.Id, page.Entries.Single(e => e.Account == "a").ExemptionId);
        Assert.Equal(["b"], await ledger.ActionedAsync("n1"));

        while (DateTimeOffset.UtcNow < exemption.ExpiresAt.AddMilliseconds(100))
        {
            await Task.Delay(100);
        }
        Assert.Equal(1, await ledger.AppendAsync(new TakedownBatch([Entry("a", "n1")])));
        Assert.Equal(["a", "b"], await ledger.ActionedAsync("n1"));
    }

    [Fact]
    public async Task A_reversed_pair_is_not_listed_again_by_the_model_but_can_be_by_a_reviewer()
    {
        await using var host = await GrainHost.StartAsync();
        var ledger = host.Grains.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default);
        await ledger.AppendAsync(new TakedownBatch([Entry("a", "n1")]));
        var reversal = Entry("a", "n1", "appeals (k2)") with { Kind = TakedownKinds.Reversal, Action = TakedownActions.Reinstate };
        Assert.Equal(1, await ledger.AppendAsync(new TakedownBatch([reversal])));
        Assert.Equal(0, await ledger.AppendAsync(new TakedownBatch([reversal])));
        Assert.Equal(0, await ledger.AppendAsync(new TakedownBatch([Entry("a", "n1")])));
        Assert.Equal(1, await ledger.AppendAsync(new TakedownBatch([Entry("a", "n1", "reviewer (k3)")])));
    }

    [Fact]
    public async Task Exemptions_and_labels_need_reasons_and_valid_values()
    {
        await using var host = await GrainHost.StartAsync();
        var governance = host.Grains.GetGrain<IGovernanceGrain>(SweepGrainKeys.Default);
        await Assert.ThrowsAsync<ArgumentException>(() => governance.AddExemptionAsync(new ExemptionRequest("a", null, "", "x", DateTimeOffset.UtcNow.AddDays(1)), "admin"));
        await Assert.ThrowsAsync<ArgumentException>(() => governance.AddExemptionAsync(new ExemptionRequest("a", "n1", "why", "x", DateTimeOffset.UtcNow.AddDays(1)), "admin"));
        await Assert.ThrowsAsync<ArgumentException>(() => governance.AddExemptionAsync(new ExemptionRequest("a", null, "why", "x", DateTimeOffset.UtcNow.AddDays(400)), "admin"));
        await Assert.ThrowsAsync<ArgumentException>(() => governance.SetLabelsAsync("a", new LabelRequest(["friendly"], "why"), "admin"));
        Assert.Empty((await governance.GetAsync()).Exemptions);
    }

    [Fact]
    public async Task Takedown_ledger_lists_each_account_once_per_network_with_monotonic_cursors_that_survive_a_restart()
    {
        await using var host = await GrainHost.StartAsync();
        var ledger = host.Grains.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default);
        Assert.Equal(3, await ledger.AppendAsync(new TakedownBatch([Entry("a", "n1"), Entry("b", "n1"), Entry("a", "n2")])));
        Assert.Equal(1, await ledger.AppendAsync(new TakedownBatch([Entry("a", "n1"), Entry("c", "n1")])));

        await host.RestartAsync();
        ledger = host.Grains.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default);
        Assert.Equal(0, await ledger.AppendAsync(new TakedownBatch([Entry("c", "n1")])));
        var first = await ledger.ReadAsync(0, 2);
        var second = await ledger.ReadAsync(first.NextCursor, 10);
        Assert.Equal([1L, 2L], first.Entries.Select(e => e.Cursor));
        Assert.Equal([3L, 4L], second.Entries.Select(e => e.Cursor));
        Assert.Equal(["a", "b", "a", "c"], first.Entries.Concat(second.Entries).Select(e => e.Account));
        var empty = await ledger.ReadAsync(second.NextCursor, 10);
        Assert.Empty(empty.Entries);
        Assert.Equal(second.NextCursor, empty.NextCursor);
    }

    [Fact]
    public async Task Account_grain_applies_a_resent_step_once()
    {
        await using var host = await GrainHost.StartAsync();
        var account = host.Grains.GetGrain<IAccountGrain>("u1");
        var batch = new SignalBatch(
            [new Signal("s1", "u1", SignalKind.Repost, "p1", T0), new Signal("s2", "u1", SignalKind.Like, "p2", T0.AddSeconds(5))],
            [1, 2]);
        await account.ApplyAsync(batch);
        await account.ApplyAsync(batch);
        var features = await account.GetFeaturesAsync();
        Assert.Equal(2, features.Actions);
        Assert.Equal(2, features.CoActivityActions);
    }

    [Fact]
    public async Task Network_grain_keeps_its_snapshot_across_a_restart_and_can_go_dormant()
    {
        await using var host = await GrainHost.StartAsync();
        var summary = new NetworkSummary("net-x", NetworkStatus.Active, 3, 0.97, true, "co-repost", T0, T0.AddHours(1), T0, "rpca-1:test");
        var snapshot = new NetworkSnapshot(summary, ["a", "b", "c"], [], 3, new Dictionary<string, double> { ["density"] = 1 },
            new ScoreExplanation("why", [new FeatureExplanation("density", 1, 0, 0.8)], 3.2, 18));
        await host.Grains.GetGrain<INetworkGrain>("net-x").UpdateAsync(snapshot);
        await host.RestartAsync();
        var network = host.Grains.GetGrain<INetworkGrain>("net-x");
        var loaded = await network.GetAsync();
        Assert.NotNull(loaded);
        Assert.Equal(["a", "b", "c"], loaded.Members);
        Assert.Equal(1, loaded.Features["density"]);
        await network.MarkDormantAsync(T0.AddDays(1));
        Assert.Equal(NetworkStatus.Dormant, (await network.GetAsync())!.Summary.Status);
        Assert.Null(await host.Grains.GetGrain<INetworkGrain>("net-unknown").GetAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Grains_build_the_same_edges_as_the_in_process_pipeline(bool nearDuplicates)
    {
        var simulation = new SimulationOptions { OrganicAccounts = 400, Campaigns = 2, ViralBursts = 1, FanCommunities = 1, NewsBursts = 0, Seed = 5 };
        if (nearDuplicates)
        {
            // Paraphrased text, re-encoded media, hashtag sequences and an organic meme wave: the kinds verified by sketches.
            simulation = simulation with { Campaigns = 3, CampaignKinds = [CampaignKind.ParaphraseFarm, CampaignKind.MediaFarm, CampaignKind.HashtagPush], MemeWaves = 1 };
        }
        var sim = PlatformSimulator.Run(simulation);
        await using var host = await GrainHost.StartAsync();
        // Fed in the pump's steps: each step's accounts in parallel, so signals reorder inside a step.
        var log = sim.Signals.Select((s, i) => (Seq: (long)i + 1, Signal: s)).ToList();
        var options = new CibOptions { Partitions = 4 };
        for (var at = 0; at < log.Count;)
        {
            var window = log.GetRange(at, Math.Min(4096, log.Count - at));
            var step = window[..Ingest.SignalPump.FirstStepLength(window, options.PumpStepSpan)];
            at += step.Count;
            await Ingest.SignalPump.ApplyStepAsync(host.Grains, step);
        }
        var fromGrains = new List<EdgeSummary>();
        for (var p = 0; p < options.Partitions; p++)
        {
            fromGrains.AddRange((await host.Grains.GetGrain<IEdgePartitionGrain>(p.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetEdgesAsync(2)).Edges);
        }
        var expected = InProcessPipeline.Run(sim.Signals, new CoActivityOptions(), new DetectionOptions()).Edges;
        Assert.NotEmpty(expected);
        static string Key(EdgeSummary e) => $"{e.A}|{e.B}|{e.Support}|{string.Join(',', e.SupportByKind)}|{e.ActionsA}|{e.ActionsB}";
        Assert.Equal(expected.Select(Key).Order(), fromGrains.Select(Key).Order());
        if (nearDuplicates)
        {
            foreach (var kind in new[] { CoActivityKind.CoNearText, CoActivityKind.CoMedia, CoActivityKind.CoHashtagSequence })
            {
                Assert.True(fromGrains.Count(e => e.SupportByKind[(int)kind] > 0) >= 20, $"few edges carry {kind.ToWire()}");
            }
        }
    }
}
