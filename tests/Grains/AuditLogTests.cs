using Cib.Grains.Audit;
using Cib.Runtime;
using Microsoft.Data.Sqlite;

namespace Cib.Grains.Tests;

public sealed class AuditLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cib-audit-").FullName;
    private readonly SqliteDatabase _db;
    private readonly AuditLog _log;

    public AuditLogTests()
    {
        _db = new SqliteDatabase(Path.Combine(_dir, "cib.db"));
        _log = new AuditLog(_db);
    }

    public void Dispose()
    {
        _db.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private async Task FillAsync(int n)
    {
        for (var i = 1; i <= n; i++)
        {
            await _log.AppendAsync($"reviewer-{i}", "network.confirmed", $"net-{i}", $$"""{"reason":"entry {{i}}"}""");
        }
    }

    private void Sql(string sql)
    {
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task An_untouched_log_verifies_and_entries_chain_their_hashes()
    {
        await FillAsync(5);
        var v = _log.Verify();
        Assert.True(v.Ok, v.Problem);
        Assert.Equal(5, v.Entries);
        var entries = _log.Read(0, 10);
        Assert.Equal(AuditLog.GenesisHash, entries[0].PreviousHash);
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.Equal(entries[i - 1].Hash, entries[i].PreviousHash);
        }
    }

    [Fact]
    public async Task A_changed_entry_is_detected_at_its_position()
    {
        await FillAsync(5);
        Sql("UPDATE audit_log SET details = '{\"reason\":\"nothing to see\"}' WHERE seq = 3");
        var v = _log.Verify();
        Assert.False(v.Ok);
        Assert.Equal(3, v.FirstBadSeq);
        Assert.Contains("changed", v.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_actor_with_a_recomputed_hash_still_breaks_the_next_link()
    {
        await FillAsync(5);
        var e = _log.Read(2, 1)[0];
        var forged = AuditLog.HashOf(e.Seq, e.At, "someone-else", e.Action, e.Subject, e.Details, e.PreviousHash);
        Sql($"UPDATE audit_log SET actor = 'someone-else', hash = '{forged}' WHERE seq = 3");
        var v = _log.Verify();
        Assert.False(v.Ok);
        Assert.Equal(4, v.FirstBadSeq);
    }

    [Fact]
    public async Task A_deleted_entry_is_detected()
    {
        await FillAsync(5);
        Sql("DELETE FROM audit_log WHERE seq = 2");
        var v = _log.Verify();
        Assert.False(v.Ok);
        Assert.Equal(2, v.FirstBadSeq);
    }

    [Fact]
    public async Task Reordered_entries_are_detected()
    {
        await FillAsync(5);
        // Swap the contents of entries 2 and 4, keeping their positions.
        Sql("""
            UPDATE audit_log SET actor = CASE seq WHEN 2 THEN (SELECT actor FROM audit_log WHERE seq = 4) ELSE (SELECT actor FROM audit_log WHERE seq = 2) END,
              subject = CASE seq WHEN 2 THEN (SELECT subject FROM audit_log WHERE seq = 4) ELSE (SELECT subject FROM audit_log WHERE seq = 2) END,
              details = CASE seq WHEN 2 THEN (SELECT details FROM audit_log WHERE seq = 4) ELSE (SELECT details FROM audit_log WHERE seq = 2) END,
              hash = CASE seq WHEN 2 THEN (SELECT hash FROM audit_log WHERE seq = 4) ELSE (SELECT hash FROM audit_log WHERE seq = 2) END
            WHERE seq IN (2, 4)
            """);
        var v = _log.Verify();
        Assert.False(v.Ok);
        Assert.Equal(2, v.FirstBadSeq);
    }

    [Fact]
    public async Task Entries_cut_off_the_end_are_detected_by_the_head_anchor()
    {
        await FillAsync(5);
        Sql("DELETE FROM audit_log WHERE seq = 5");
        var v = _log.Verify();
        Assert.False(v.Ok);
        Assert.Contains("cut off the end", v.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_reopens_and_keeps_chaining()
    {
        await FillAsync(2);
        var reopened = new AuditLog(_db);
        await reopened.AppendAsync("admin", "label.set", "u1", "{}");
        var v = reopened.Verify();
        Assert.True(v.Ok, v.Problem);
        Assert.Equal(3, v.Entries);
    }
}
