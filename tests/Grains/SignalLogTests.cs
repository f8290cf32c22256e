using Cib.Detection.Signals;
using Cib.Grains.Ingest;
using Cib.Runtime;
using Microsoft.Data.Sqlite;

namespace Cib.Grains.Tests;

/// <summary>The signal log's in-memory id and account indexes agree with what is on disk, across reopening and migration.</summary>
public sealed partial class SignalLogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("cib-signal-log-").FullName;

    private string DatabasePath => Path.Combine(_dir, "cib.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static Signal S(string id, string account, int minute, string target = "p1") =>
        new(id, account, SignalKind.Repost, target, T0.AddMinutes(minute));

    /// <summary>Writes the database by hand, as an older silo left it, and closes it.</summary>
    private void WriteByHand(string sql, params (string Name, object Value)[] parameters)
    {
        using (var c = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                cmd.Parameters.AddWithValue(name, value);
            }
            cmd.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_reopened_log_still_counts_resends_as_duplicates_and_finds_each_accounts_signals_by_time()
    {
        using (var db = new SqliteDatabase(DatabasePath))
        {
            var log = new SignalLog(db);
            Assert.Equal(3, (await log.AppendAsync([S("a", "u1", 5), S("b", "u2", 1), S("c", "u1", 2)])).Accepted);
        }

        using (var db = new SqliteDatabase(DatabasePath))
        {
            var log = new SignalLog(db);
            Assert.Equal(3, log.Head);
            var again = await log.AppendAsync([S("a", "u1", 5), S("c", "u9", 2), S("d", "u1", 3)]);
            Assert.Equal((1, 1), (again.Accepted, again.Duplicates));
            Assert.Equal([1], again.Conflicts);
            Assert.True(log.Contains("d"));
            Assert.False(log.Contains("e"));
            Assert.Equal(["c", "d", "a"], log.ReadAccounts(["u1"], 10).Select(s => s.Id));
            Assert.Equal(["b", "c"], log.ReadAccounts(["u1", "u2"], 2).Select(s => s.Id));
            Assert.Equal(["d"], log.ReadAccountAt("u1", T0.AddMinutes(3)).Select(s => s.Id));
            Assert.Empty(log.ReadAccounts(["nobody"], 10));
        }
    }

    [Fact]
    public async Task A_log_written_with_a_unique_id_index_is_migrated_with_its_signals_and_sequence_numbers()
    {
        WriteByHand("""
                CREATE TABLE signals (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, kind INTEGER NOT NULL,
                  target TEXT NOT NULL, ts INTEGER NOT NULL, text TEXT, fingerprint TEXT, created_at INTEGER, handle TEXT, display_name TEXT);
                CREATE INDEX signals_by_account ON signals (account, ts);
                INSERT INTO signals (seq, id, account, kind, target, ts) VALUES (1, 'old-1', 'u1', 1, 'p1', $t1), (2, 'old-2', 'u2', 1, 'p1', $t2); -- kind 1: repost
                """, ("$t1", T0.UtcTicks), ("$t2", T0.AddMinutes(1).UtcTicks));

        using var db = new SqliteDatabase(DatabasePath);
        var log = new SignalLog(db);
        Assert.Equal(2, log.Head);
        Assert.Equal(["old-1", "old-2"], log.Read(0, 10).Select(x => x.Signal.Id));
        var resent = await log.AppendAsync([S("old-1", "u1", 0), S("new-3", "u1", 2)]);
        Assert.Equal((1, 1), (resent.Accepted, resent.Duplicates));
        Assert.Equal([(3L, "new-3")], log.Read(2, 10).Select(x => (x.Seq, x.Signal.Id)));
        Assert.Equal(["old-1", "new-3"], log.ReadAccounts(["u1"], 10).Select(s => s.Id));
    }

    private static Signal WithCounts(string id, string account, int minute) =>
        S(id, account, minute) with { Profile = new AccountProfile(null, "h-" + account, null, Followers: 12, Following: 0, Posts: 1_000_000_000_000) };

    [Fact]
    public async Task Account_counts_survive_closing_and_reopening_the_log()
    {
        var counted = WithCounts("c1", "u1", 0);
        var countsOnly = S("c2", "u2", 1) with { Profile = new AccountProfile(null, null, null, Posts: 7) };
        using (var db = new SqliteDatabase(DatabasePath))
        {
            Assert.Equal(2, (await new SignalLog(db).AppendAsync([counted, countsOnly])).Accepted);
        }

        using (var db = new SqliteDatabase(DatabasePath))
        {
            var log = new SignalLog(db);
            Assert.Equal([counted, countsOnly], log.Read(0, 10).Select(x => x.Signal));
            Assert.Equal([counted], log.ReadAccounts(["u1"], 10));
            // Profile fields are not content: a resend with other counts is a duplicate, and the first stored stay.
            var resent = await log.AppendAsync([counted with { Profile = counted.Profile! with { Followers = 13 } }]);
            Assert.Equal((0, 1), (resent.Accepted, resent.Duplicates));
            Assert.Equal(12, log.ReadAccounts(["u1"], 10).Single().Profile!.Followers);
        }
    }

    [Fact]
    public async Task A_log_written_before_the_account_counts_gains_their_columns_and_keeps_its_rows()
    {
        WriteByHand("""
                CREATE TABLE signals (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, account TEXT NOT NULL, kind INTEGER NOT NULL,
                  target TEXT NOT NULL, ts INTEGER NOT NULL, text TEXT, fingerprint TEXT, created_at INTEGER, handle TEXT, display_name TEXT);
                INSERT INTO signals (seq, id, account, kind, target, ts, handle) VALUES (1, 'old-1', 'u1', 1, 'p1', $t, 'h1'); -- kind 1: repost
                """, ("$t", T0.UtcTicks));

        var old = S("old-1", "u1", 0) with { Profile = new AccountProfile(null, "h1", null) };
        var counted = WithCounts("new-2", "u1", 1);
        using (var db = new SqliteDatabase(DatabasePath))
        {
            var log = new SignalLog(db);
            Assert.Equal(1, log.Head);
            Assert.Equal([old], log.ReadAccounts(["u1"], 10));
            Assert.Equal(1, (await log.AppendAsync([counted])).Accepted);
        }

        using (var db = new SqliteDatabase(DatabasePath))
        {
            Assert.Equal([(1L, old), (2L, counted)], new SignalLog(db).Read(0, 10));
        }
    }
}
