using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cib.Grains.Ingest;
using Cib.Grains.Interfaces;
using Cib.Silo;
using Cib.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cib.Silo.Tests;

/// <summary>
/// When the store cannot be written (here: another connection holds the database's write lock, as a backup tool or an
/// operator's maintenance query would), writes answer 503 with Retry-After and say why, nothing is acknowledged, and the
/// same request succeeds once the lock is gone.
/// </summary>
public sealed class StorageFailureTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cib-storage-failure-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // A short busy timeout, so that a locked store fails the request in about a second instead of the default 30 s.
        _app = CibSiloHost.Build(new SiloSettings { DataDirectory = _dir, Urls = "http://127.0.0.1:0", StoreBusyTimeout = TimeSpan.FromMilliseconds(200) },
            o => o.SweepPeriod = TimeSpan.FromHours(1));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = _app.Address() };
        _http.DefaultRequestHeaders.Authorization = new("Bearer", (await _app.Services.GetRequiredService<ApiKeyStore>().CreateAsync("tests", Roles.All, "tests")).Key);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private string DatabasePath => Path.Combine(_dir, "cib.db");

    /// <summary>A connection of "another process" that holds the write lock until disposed.</summary>
    private SqliteConnection LockDatabase()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE";
        command.ExecuteNonQuery();
        return connection;
    }

    private long StoredCount(string idPrefix)
    {
        // WAL readers are not blocked by a writer's lock, so this works while the database is locked.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        return SignalLog.ReadFile(connection).LongCount(stored => stored.Signal.Id.StartsWith(idPrefix, StringComparison.Ordinal));
    }

    private static StringContent Batch(string prefix, int count) => new(
        string.Join("\n", Enumerable.Range(0, count).Select(i =>
            $$"""{"id":"{{prefix}}{{i}}","account":"acct{{i % 7}}","kind":"repost","target":"p{{i}}","timestamp":"{{Day.AddSeconds(i):O}}"}""")),
        Encoding.UTF8, "application/x-ndjson");

    private static async Task AssertStoreBusyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 says when to retry");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("store is busy", body, StringComparison.Ordinal);
        Assert.Contains("send it again", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_answers_503_while_the_store_is_locked_acknowledges_nothing_and_accepts_the_same_batch_after()
    {
        using (LockDatabase())
        {
            using var refused = await _http.PostAsync("v1/signals", Batch("locked-", 50));
            await AssertStoreBusyAsync(refused);
            Assert.Equal(0, StoredCount("locked-"));
        }

        using var accepted = await _http.PostAsync("v1/signals", Batch("locked-", 50));
        var result = await accepted.Content.ReadFromJsonAsync<IngestResult>(CibJson.Options);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal((50, 0), (result!.Accepted, result.Duplicates));
        Assert.Equal(50, StoredCount("locked-"));
    }

    [Fact]
    public async Task A_review_decision_answers_503_while_the_store_is_locked_and_is_recorded_once_after()
    {
        // Five accounts repost the same six posts seconds apart, one post an hour: one coordinated network.
        var lines = Enumerable.Range(0, 6).SelectMany(p => Enumerable.Range(0, 5).Select(a =>
            $$"""{"id":"g-{{p}}-{{a}}","account":"g{{a}}","kind":"repost","target":"gp{{p}}","timestamp":"{{Day.AddHours(p).AddSeconds(a * 3):O}}"}"""));
        using (var ingest = await _http.PostAsync("v1/signals", new StringContent(string.Join("\n", lines), Encoding.UTF8, "application/x-ndjson")))
        {
            Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        }
        using (var sweep = await _http.PostAsync("v1/sweeps", null))
        {
            Assert.Equal(HttpStatusCode.OK, sweep.StatusCode);
        }
        var network = (await _http.GetFromJsonAsync<AccountView>("v1/accounts/g0", CibJson.Options))!.NetworkId;
        Assert.NotNull(network);
        var decision = new ReviewRequest("confirm", "same posts within seconds, every hour");

        using (LockDatabase())
        {
            using var refused = await _http.PostAsJsonAsync($"v1/networks/{network}/decisions", decision, CibJson.Options);
            await AssertStoreBusyAsync(refused);
        }
        var unchanged = await _http.GetFromJsonAsync<NetworkSnapshot>($"v1/networks/{network}", CibJson.Options);
        Assert.Equal(ReviewStatus.Unreviewed, unchanged!.Summary.Review);

        using var accepted = await _http.PostAsJsonAsync($"v1/networks/{network}/decisions", decision, CibJson.Options);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var decided = await _http.GetFromJsonAsync<NetworkSnapshot>($"v1/networks/{network}", CibJson.Options);
        Assert.Equal(ReviewStatus.Confirmed, decided!.Summary.Review);
        Assert.Single(decided.Decisions!);
        var audit = await _http.GetFromJsonAsync<AuditVerification>("v1/audit/verify", CibJson.Options);
        Assert.True(audit!.Ok, audit.Problem);
    }
}
