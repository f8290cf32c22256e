using Cib.Detection.Evaluation;
using Cib.Detection.Simulation;
using Cib.Grains.Interfaces;

namespace Cib.EndToEnd.Tests;

/// <summary>
/// The whole pipeline on a simulated day: ingest over HTTP, sweep, compare with the planted
/// ground truth, restart, and check that the networks are still there.
/// </summary>
public class PipelineTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Planted_networks_are_found_with_high_precision_and_recall_and_survive_a_restart()
    {
        var sim = PlatformSimulator.Run(new SimulationOptions());
        await using var silo = await TestSilo.StartAsync(o => o.SweepPeriod = TimeSpan.FromHours(1));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < sim.Signals.Count; i += 5000)
        {
            var r = await silo.Client.IngestAsync(sim.Signals.Skip(i).Take(5000));
            Assert.Equal(0, r.Rejected);
        }
        var ingestSeconds = clock.Elapsed.TotalSeconds;
        var resend = await silo.Client.IngestAsync(sim.Signals.Take(5000));
        Assert.Equal((0, 5000), (resend.Accepted, resend.Duplicates));

        var sweep = await silo.Client.SweepAsync();
        Assert.Equal(sim.Signals.Count, sweep.SignalsProcessed);

        var networks = await silo.Client.ListNetworksAsync(limit: 10_000);
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in networks.Where(n => n.AboveTakedownThreshold))
        {
            var snapshot = await silo.Client.GetNetworkAsync(n.Id);
            Assert.NotNull(snapshot);
            Assert.NotEmpty(snapshot.TopEdges);
            Assert.All(snapshot.TopEdges, e => Assert.NotEmpty(e.Evidence));
            Assert.NotEmpty(snapshot.Explanation.TopFeatures);
            flagged.UnionWith(snapshot.Members);
        }
        var metrics = AccountMetrics.Compute(flagged, sim.Campaigns.SelectMany(c => c.Accounts), sim.Accounts);
        output.WriteLine($"signals {sim.Signals.Count}, ingest {sim.Signals.Count / ingestSeconds:F0}/s over HTTP, sweep {sweep.Seconds:F2} s after {sweep.CatchUpSeconds:F2} s catch-up, " +
            $"networks {sweep.Networks} ({sweep.NetworksAboveThreshold} above threshold), precision {metrics.Precision:F3}, recall {metrics.Recall:F3}, organic flagged {metrics.FalsePositives}");
        Assert.True(metrics.Precision >= 0.9, $"precision {metrics.Precision:F3} ({metrics})");
        Assert.True(metrics.Recall >= 0.9, $"recall {metrics.Recall:F3} ({metrics})");
        foreach (var group in sim.OrganicGroups)
        {
            var hit = group.Accounts.Where(a => flagged.Contains(a) && !sim.IsCampaignAccount(a)).ToArray();
            Assert.True(hit.Length == 0, $"organic {group.Kind} {group.Id} had {hit.Length} accounts flagged: {string.Join(", ", hit.Take(5))}");
        }

        var takedowns = await silo.Client.GetTakedownsAsync(0, 100_000);
        Assert.Equal(flagged.Order(StringComparer.Ordinal), takedowns.Entries.Select(e => e.Account).Distinct().Order(StringComparer.Ordinal));
        var firstPage = await silo.Client.GetTakedownsAsync(0, 3);
        var secondPage = await silo.Client.GetTakedownsAsync(firstPage.NextCursor, 3);
        Assert.True(secondPage.Entries[0].Cursor > firstPage.Entries[^1].Cursor);

        await silo.RestartAsync();
        var afterRestart = await silo.Client.ListNetworksAsync(limit: 10_000);
        Assert.Equal(networks.Select(n => (n.Id, n.Size, n.Score)), afterRestart.Select(n => (n.Id, n.Size, n.Score)));
        Assert.Equal(takedowns.Entries.Count, (await silo.Client.GetTakedownsAsync(0, 100_000)).Entries.Count);

        // The log is replayed into fresh grains; a new sweep recognises the same networks.
        var again = await silo.Client.SweepAsync();
        Assert.Equal(sim.Signals.Count, again.SignalsProcessed);
        var resweep = await silo.Client.ListNetworksAsync(status: NetworkStatus.Active, limit: 10_000);
        Assert.Equal(networks.Where(n => n.Status == NetworkStatus.Active).Select(n => n.Id).Order(), resweep.Select(n => n.Id).Order());
        Assert.Equal(0, again.NewTakedownEntries);
    }
}
