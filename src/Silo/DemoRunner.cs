using System.Diagnostics;
using Cib.Client;
using Cib.Detection.Evaluation;
using Cib.Detection.Simulation;
using Cib.Grains.Interfaces;
using Spectre.Console;

namespace Cib.Silo;

/// <summary>
/// The demo: a simulated day of platform activity with planted campaigns goes through the running
/// silo's HTTP API, a sweep runs, and the networks found are printed against the ground truth.
/// </summary>
internal static class DemoRunner
{
    public const int BatchSize = 5000;

    public static async Task<DemoOutcome> RunAsync(Uri silo, string apiKey, SimulationOptions simulation, IAnsiConsole console, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var sim = PlatformSimulator.Run(simulation);
        console.MarkupLine($"Simulated a day: [bold]{sim.Signals.Count:N0}[/] signals from [bold]{sim.Accounts.Count:N0}[/] accounts, " +
            $"{sim.Campaigns.Count} planted campaigns, {sim.OrganicGroups.Count} organic crowds ({clock.Elapsed.TotalSeconds:F1} s)");

        using var client = new CibClient(silo, apiKey);
        clock.Restart();
        long accepted = 0, duplicates = 0;
        await console.Progress().AutoClear(true).StartAsync(async progress =>
        {
            var task = progress.AddTask("Ingesting over HTTP", maxValue: sim.Signals.Count);
            for (var i = 0; i < sim.Signals.Count; i += BatchSize)
            {
                var result = await client.IngestAsync(sim.Signals.Skip(i).Take(BatchSize), ct);
                accepted += result.Accepted;
                duplicates += result.Duplicates;
                task.Increment(Math.Min(BatchSize, sim.Signals.Count - i));
            }
        });
        var ingestSeconds = clock.Elapsed.TotalSeconds;
        console.MarkupLine($"Ingested {sim.Signals.Count:N0} signals in {ingestSeconds:F1} s ([bold]{sim.Signals.Count / ingestSeconds:N0}[/] signals/s): {accepted:N0} new, {duplicates:N0} already stored");

        var sweep = await client.SweepAsync(ct);
        console.MarkupLine($"Sweep: {sweep.Networks} networks ({sweep.NetworksAboveThreshold} above the takedown threshold) from {sweep.Edges:N0} edges in {sweep.Seconds:F2} s (after {sweep.CatchUpSeconds:F1} s waiting for the pump to apply the last signals), model {sweep.ModelVersion}");

        var networks = await client.ListNetworksAsync(status: NetworkStatus.Active, limit: 1000, ct: ct);
        var table = new Table().AddColumns("network", "size", "score", "takedown", "kind", "ground truth");
        var flagged = new List<string>();
        foreach (var n in networks)
        {
            var snapshot = await client.GetNetworkAsync(n.Id, ct);
            var members = snapshot?.Members ?? [];
            if (n.AboveTakedownThreshold)
            {
                flagged.AddRange(members);
            }
            var truth = members.GroupBy(m => sim.CampaignOf(m) ?? "organic").OrderByDescending(g => g.Count()).First();
            table.AddRow(n.Id, n.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), n.Score.ToString("F3", System.Globalization.CultureInfo.InvariantCulture),
                n.AboveTakedownThreshold ? "yes" : "no", n.DominantKind, Markup.Escape($"{truth.Key} {truth.Count()}/{members.Count}"));
        }
        console.Write(table);
        if (networks.Count > 0)
        {
            console.MarkupLine($"Each network's members, edges with evidence and score explanation: [bold]{new Uri(silo, $"v1/networks/{networks[0].Id}")}[/] (and so on for each id)");
        }
        var inauthentic = sim.Campaigns.SelectMany(c => c.Accounts);
        var metrics = AccountMetrics.Compute(flagged, inauthentic, sim.Accounts);
        console.MarkupLine($"Against the planted ground truth: precision [bold]{metrics.Precision:F3}[/], recall [bold]{metrics.Recall:F3}[/], " +
            $"organic accounts flagged {metrics.FalsePositives} of {metrics.OrganicAccounts:N0}");
        return new DemoOutcome(sim.Signals.Count, ingestSeconds, sweep, metrics);
    }
}

/// <summary>What the demo measured.</summary>
internal sealed record DemoOutcome(int Signals, double IngestSeconds, SweepReport Sweep, AccountMetrics Metrics);
