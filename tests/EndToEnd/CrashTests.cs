using Cib.Client;
using Cib.Detection.Evaluation;
using Cib.Detection.Simulation;
using Cib.Grains;
using Cib.Grains.Ingest;
using Cib.Grains.Interfaces;
using Cib.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cib.EndToEnd.Tests;

/// <summary>
/// Nothing acknowledged is lost: a silo killed with SIGKILL, or stopped gracefully, in the middle of a stream of batches
/// from several senders restarts on the same data folder with every acknowledged signal stored exactly once, the reviewer's
/// decision and the audit log intact, and a sweep that still finds the planted networks.
/// </summary>
public sealed class CrashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Senders = 4;
    private const int StreamBatch = 1000;

    /// <summary>A smaller day than the default, so that a test with two starts and a replay stays well under a minute.</summary>
    private static readonly SimulationResult Day = PlatformSimulator.Run(new SimulationOptions { OrganicAccounts = 1500 });

    [Fact(Timeout = 90_000)]
    public async Task A_killed_silo_keeps_every_acknowledged_signal_exactly_once_and_its_decisions_audit_and_networks()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(80));
        var data = Directory.CreateTempSubdirectory("cib-crash-").FullName;
        try
        {
            await using var first = await SiloProcess.StartAsync(data, deadline.Token);
            var adminKey = first.AdminKey ?? throw new InvalidOperationException($"the first run printed no admin key:\n{first.Output}");
            using var admin = new CibClient(first.Address, adminKey);
            var key = (await admin.CreateKeyAsync("crash-test", [Roles.Ingest, Roles.Admin, Roles.Reviewer, Roles.Investigator], deadline.Token)).Key;
            var before = await RunUntilStoppedAsync(first.Address, key, data, () => first.KillAsync(), deadline.Token);

            await using var second = await SiloProcess.StartAsync(data, deadline.Token);
            Assert.Null(second.AdminKey);
            await CheckAfterRestartAsync(new CibClient(second.Address, key), data, before, deadline.Token);
            await second.KillAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact(Timeout = 90_000)]
    public async Task A_gracefully_stopped_silo_resumes_with_every_acknowledged_signal_and_its_sweep_reminder()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(80));
        var data = Directory.CreateTempSubdirectory("cib-graceful-").FullName;
        // Reminders are durable and coarse by default (at least a minute); a 2 s sweep lets the test see one fire.
        var settings = new SiloSettings { DataDirectory = data, Urls = "http://127.0.0.1:0", MinimumReminderPeriod = TimeSpan.FromSeconds(1) };
        void Configure(CibOptions o) => o.SweepPeriod = TimeSpan.FromSeconds(2);
        try
        {
            var first = CibSiloHost.Build(settings, Configure);
            await first.StartAsync(deadline.Token);
            using var admin = new CibClient(first.Address(), first.Services.GetRequiredService<BootstrapKey>().Key);
            var key = (await admin.CreateKeyAsync("graceful-test", [Roles.Ingest, Roles.Admin, Roles.Reviewer, Roles.Investigator], deadline.Token)).Key;
            // A graceful stop lets in-flight requests finish, refuses new ones, then stops the pump and the runtime.
            var before = await RunUntilStoppedAsync(first.Address(), key, data, async () =>
            {
                await first.StopAsync(deadline.Token);
                await first.DisposeAsync();
            }, deadline.Token);

            var restartedAt = DateTimeOffset.UtcNow;
            await using var second = CibSiloHost.Build(settings, Configure);
            await second.StartAsync(deadline.Token);
            using var client = new CibClient(second.Address(), key);

            // The reminder fires on its own after the restart and sweeps everything that was acknowledged before it.
            SiloStatus status;
            do
            {
                await Task.Delay(200, deadline.Token);
                status = await client.GetStatusAsync(deadline.Token);
            }
            while (status.LastSweep is not { } last || last.StartedAt < restartedAt || last.SignalsProcessed < before.StoredAtStop);
            output.WriteLine($"after restart the reminder swept at {status.LastSweep.StartedAt:O} ({(status.LastSweep.StartedAt - restartedAt).TotalSeconds:F1} s after the restart) over {status.LastSweep.SignalsProcessed:N0} signals");

            await CheckAfterRestartAsync(client, data, before, deadline.Token);
            await second.StopAsync(deadline.Token);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>What the first run left: acknowledged ids, the decided network and how many signals the file held at the stop.</summary>
    private sealed record BeforeStop(IReadOnlyCollection<string> Acknowledged, string DecidedNetwork, long StoredAtStop, int NetworksBefore);

    /// <summary>
    /// Ingests the first half of the day, sweeps, confirms a network, then streams the second half from several concurrent
    /// senders and calls <paramref name="stop"/> once about a third of it is acknowledged, while the senders keep sending.
    /// </summary>
    private async Task<BeforeStop> RunUntilStoppedAsync(Uri address, string key, string data, Func<Task> stop, CancellationToken ct)
    {
        using var client = new CibClient(address, key);
        var half = Day.Signals.Count / 2;
        for (var i = 0; i < half; i += 5000)
        {
            await client.IngestAsync(Day.Signals.Skip(i).Take(Math.Min(5000, half - i)), ct);
        }
        var sweep = await client.SweepAsync(ct);
        Assert.True(sweep.NetworksAboveThreshold > 0, $"the first half of the day already shows networks ({sweep.Networks} found)");
        var network = (await client.ListNetworksAsync(status: NetworkStatus.Active, limit: 1000, ct: ct)).First(n => n.AboveTakedownThreshold).Id;
        await client.DecideAsync(network, new ReviewRequest("confirm", "members repost the same posts within seconds, all day"), ct);

        var acknowledged = new List<string>();
        var batches = new Queue<int>(Enumerable.Range(0, ((Day.Signals.Count - half) + StreamBatch - 1) / StreamBatch).Select(b => half + (b * StreamBatch)));
        var stopAfter = (Day.Signals.Count - half) / 3;
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            // Each sender its own connection pool, as separate ingest clients would have.
            using var sender = new CibClient(address, key);
            while (true)
            {
                int start;
                lock (batches)
                {
                    if (!batches.TryDequeue(out start))
                    {
                        return;
                    }
                }
                var batch = Day.Signals.Skip(start).Take(StreamBatch).ToArray();
                try
                {
                    var result = await sender.IngestAsync(batch, ct);
                    Assert.Equal(batch.Length, result.Accepted + result.Duplicates);
                    lock (acknowledged)
                    {
                        acknowledged.AddRange(batch.Select(s => s.Id));
                        if (acknowledged.Count >= stopAfter)
                        {
                            stopping.TrySetResult();
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or CibApiException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
                {
                    // The silo went away under this request: it was not acknowledged, so it is not counted.
                    return;
                }
            }
        }, ct)).ToArray();
        await Task.WhenAny(stopping.Task, Task.WhenAll(senders));
        await stop();
        await Task.WhenAll(senders);
        Assert.True(batches.Count > 0, "the stop came while batches were still to be sent");

        // Read the file as the stopped silo left it: every acknowledged id is there, and no id twice.
        var stored = StoredIds(Path.Combine(data, "cib.db"));
        var lost = acknowledged.Where(id => stored.GetValueOrDefault(id) != 1).Take(5).ToArray();
        Assert.True(lost.Length == 0, $"acknowledged but not stored exactly once: {string.Join(", ", lost.Select(id => $"{id} ×{stored.GetValueOrDefault(id)}"))}");
        output.WriteLine($"stopped with {acknowledged.Count:N0} of {Day.Signals.Count - half:N0} streamed signals acknowledged; {stored.Count:N0} stored in all");
        return new BeforeStop(acknowledged, network, stored.Count, sweep.Networks);
    }

    private static Dictionary<string, long> StoredIds(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (_, signal) in SignalLog.ReadFile(connection))
        {
            counts[signal.Id] = counts.GetValueOrDefault(signal.Id) + 1;
        }
        return counts;
    }

    private async Task CheckAfterRestartAsync(CibClient client, string data, BeforeStop before, CancellationToken ct)
    {
        using var _ = client;
        var stored = StoredIds(Path.Combine(data, "cib.db"));
        Assert.Equal(before.StoredAtStop, stored.Count);
        Assert.All(before.Acknowledged, id => Assert.Equal(1, stored.GetValueOrDefault(id)));

        var decided = await client.GetNetworkAsync(before.DecidedNetwork, ct);
        Assert.NotNull(decided);
        Assert.Equal(ReviewStatus.Confirmed, decided.Summary.Review);
        Assert.Single(decided.Decisions!);
        var audit = await client.VerifyAuditAsync(ct);
        Assert.True(audit.Ok, audit.Problem);
        Assert.Contains(await client.GetAuditAsync(0, 10_000, ct), e => e.Action == "network.confirmed" && e.Subject == before.DecidedNetwork);

        // Resending the whole day is safe: what was stored is a duplicate, the rest is accepted.
        var accepted = 0;
        var duplicates = 0;
        for (var i = 0; i < Day.Signals.Count; i += 5000)
        {
            var r = await client.IngestAsync(Day.Signals.Skip(i).Take(5000), ct);
            (accepted, duplicates) = (accepted + r.Accepted, duplicates + r.Duplicates);
        }
        Assert.Equal((Day.Signals.Count - (int)before.StoredAtStop, (int)before.StoredAtStop), (accepted, duplicates));

        var sweep = await client.SweepAsync(ct);
        Assert.Equal(Day.Signals.Count, sweep.SignalsProcessed);
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in (await client.ListNetworksAsync(status: NetworkStatus.Active, limit: 10_000, ct: ct)).Where(n => n.AboveTakedownThreshold))
        {
            flagged.UnionWith((await client.GetNetworkAsync(n.Id, ct))!.Members);
        }
        var metrics = AccountMetrics.Compute(flagged, Day.Campaigns.SelectMany(c => c.Accounts), Day.Accounts);
        output.WriteLine($"after restart: {sweep.Networks} networks ({sweep.NetworksAboveThreshold} above threshold), precision {metrics.Precision:F3}, recall {metrics.Recall:F3}");
        Assert.True(metrics.Recall >= 0.9 && metrics.Precision >= 0.9, metrics.ToString());
        Assert.Equal(ReviewStatus.Confirmed, (await client.GetNetworkAsync(before.DecidedNetwork, ct))!.Summary.Review);
    }
}
