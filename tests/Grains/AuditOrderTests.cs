using System.Text.Json;
using Cib.Grains.Audit;
using Cib.Grains.Interfaces;
using Cib.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cib.Grains.Tests;

/// <summary>Decisions, labels and exemptions are audited before they are stored; a store that fails afterwards leaves a compensating entry.</summary>
public sealed class AuditOrderTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cib-audit-order-").FullName;
    private readonly FlakyStorage _storage = new();
    private SqliteDatabase _db = null!;
    private IHost _host = null!;

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    private AuditLog Audit => _host.Services.GetRequiredService<AuditLog>();

    public async Task InitializeAsync()
    {
        _db = new SqliteDatabase(Path.Combine(_dir, "cib.db"));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new CibOptions { Partitions = 2 }));
        builder.Services.AddSingleton(new AuditLog(_db));
        builder.UseOrleans(silo => silo.AddGrainAssembly(typeof(AccountGrain).Assembly).UseInMemoryReminderService());
        builder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Detection, (_, _) => _storage);
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _db.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task A_decision_whose_storage_fails_is_audited_as_attempted_and_failed_and_not_applied()
    {
        var summary = new NetworkSummary("net-f", NetworkStatus.Active, 3, 0.9, true, "co-repost", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "m");
        var network = Grains.GetGrain<INetworkGrain>("net-f");
        await network.UpdateAsync(new NetworkSnapshot(summary, ["a", "b", "c"], [], 0, new Dictionary<string, double>(), new ScoreExplanation("", [], 0, 0)));
        _storage.FailWrites = true;
        await Assert.ThrowsAnyAsync<Exception>(() => network.DecideAsync(new ReviewRequest("confirm", "lockstep"), "reviewer (k1)"));
        await Assert.ThrowsAnyAsync<Exception>(() => Grains.GetGrain<IGovernanceGrain>(SweepGrainKeys.Default).SetLabelsAsync("a", new LabelRequest([AccountLabels.Political], "party account"), "admin (k2)"));
        var ledger = Grains.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default);
        var entry = new TakedownEntry(0, TakedownKinds.Takedown, "a", "net-f", TakedownActions.Remove, 0.9, "m", "model:m", "test", DateTimeOffset.UnixEpoch);
        await Assert.ThrowsAnyAsync<Exception>(() => ledger.AppendAsync(new TakedownBatch([entry])));
        _storage.FailWrites = false;
        Assert.Empty((await ledger.ReadAsync(0, 10)).Entries);

        Assert.Equal(ReviewStatus.Unreviewed, (await network.GetAsync())!.Summary.Review);
        Assert.Empty((await Grains.GetGrain<IGovernanceGrain>(SweepGrainKeys.Default).GetAsync()).LabelsOfAccount);
        var actions = Audit.Read(0, 100).Select(e => e.Action).ToArray();
        Assert.Equal(["network.confirmed", "network.decision-failed", "labels.set", "labels.set-failed", "takedown.listed", "takedown.listing-failed"], actions);
        Assert.True(Audit.Verify().Ok);
    }

    /// <summary>Grain storage in memory (JSON copies) whose writes fail while <see cref="FailWrites"/> is set.</summary>
    private sealed class FlakyStorage : IGrainStorage
    {
        private readonly Dictionary<(string, GrainId), (string Json, int Version)> _rows = [];

        public volatile bool FailWrites;

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            lock (_rows)
            {
                if (_rows.TryGetValue((stateName, grainId), out var row))
                {
                    grainState.State = JsonSerializer.Deserialize<T>(row.Json)!;
                    grainState.ETag = row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    grainState.RecordExists = true;
                }
            }
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (FailWrites)
            {
                throw new IOException("disk full (injected)");
            }
            lock (_rows)
            {
                var version = _rows.TryGetValue((stateName, grainId), out var row) ? row.Version + 1 : 1;
                _rows[(stateName, grainId)] = (JsonSerializer.Serialize(grainState.State), version);
                grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                grainState.RecordExists = true;
            }
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            lock (_rows)
            {
                _rows.Remove((stateName, grainId));
            }
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }
}
