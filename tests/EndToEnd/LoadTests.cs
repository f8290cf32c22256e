using Cib.Client;
using Cib.Detection.Simulation;

namespace Cib.EndToEnd.Tests;

/// <summary><c>cib load</c>'s driver against a real silo: concurrent senders and a querier at once.</summary>
public class LoadTests
{
    [Fact]
    public async Task Concurrent_senders_get_every_signal_acknowledged_while_queries_are_answered()
    {
        var sim = PlatformSimulator.Run(new SimulationOptions { OrganicAccounts = 400, Campaigns = 1 });
        var signals = sim.Signals.Take(20_000).ToList();
        await using var silo = await TestSilo.StartAsync(o => o.SweepPeriod = TimeSpan.FromHours(1));
        var batches = LoadCommand.Batches(signals, 1_500);
        Assert.Equal(signals.Count, batches.Sum(b => b.Count));
        Assert.Equal((signals.Count + 1_499) / 1_500, batches.Count);

        var result = await LoadCommand.RunAsync(silo.Client, silo.Client, batches, senders: 3, CancellationToken.None);

        Assert.Equal(signals.Count, result.Signals);
        Assert.NotEmpty(result.QueryMilliseconds);
        Assert.True(result.QueryPercentile(50) <= result.QueryPercentile(99));
        Assert.Equal(result.QueryMilliseconds.Max(), result.QueryPercentile(100));
        Assert.Equal(signals.Count, (await silo.Client.GetStatusAsync()).LogHead);
        // Sent again, every batch is acknowledged as duplicates: nothing is stored twice.
        var again = await LoadCommand.RunAsync(silo.Client, silo.Client, batches, senders: 2, CancellationToken.None);
        Assert.Equal(signals.Count, again.Signals);
        Assert.Equal(signals.Count, (await silo.Client.GetStatusAsync()).LogHead);
    }
}
