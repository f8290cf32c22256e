using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cib.Grains.Interfaces;
using Cib.Runtime;
using Microsoft.Data.Sqlite;

namespace Cib.Grains.Audit;

/// <summary>
/// The append-only, hash-chained audit log. Entry n stores h_n = SHA-256(h_{n−1} ‖ n ‖ at ‖ actor ‖
/// action ‖ subject ‖ details), fields separated by a unit separator, h_0 = 64 zeros. Changing an
/// entry breaks its hash; deleting or reordering entries breaks the sequence or the links; cutting
/// entries off the end is caught by the head anchor, a file beside the database that holds the
/// newest (seq, hash) and is rewritten atomically after every append.
/// </summary>
public sealed class AuditLog
{
    /// <summary>Hash before the first entry.</summary>
    public static readonly string GenesisHash = new('0', 64);

    private readonly SqliteDatabase _db;
    private readonly string _anchorPath;
    private readonly Lock _anchorGate = new();

    /// <summary>Opens the log in <paramref name="db"/>, creating its table on first use.</summary>
    public AuditLog(SqliteDatabase db)
    {
        _db = db;
        _anchorPath = db.Path + ".audit-head";
        _db.Write(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE IF NOT EXISTS audit_log (
                  seq INTEGER PRIMARY KEY,
                  at INTEGER NOT NULL,
                  actor TEXT NOT NULL,
                  action TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  details TEXT NOT NULL,
                  prev_hash TEXT NOT NULL,
                  hash TEXT NOT NULL);
                """;
            return cmd.ExecuteNonQuery();
        });
    }

    /// <summary>Appends an entry durably and returns it.</summary>
    public async Task<AuditEntry> AppendAsync(string actor, string action, string subject, string details, CancellationToken ct = default)
    {
        var entry = await _db.WriteAsync(c =>
        {
            using var tx = c.BeginTransaction();
            using var last = c.CreateCommand();
            last.Transaction = tx;
            last.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
            long seq = 0;
            var prev = GenesisHash;
            using (var r = last.ExecuteReader())
            {
                if (r.Read())
                {
                    seq = r.GetInt64(0);
                    prev = r.GetString(1);
                }
            }
            var at = DateTimeOffset.UtcNow;
            var e = new AuditEntry(seq + 1, at, actor, action, subject, details, prev, HashOf(seq + 1, at, actor, action, subject, details, prev));
            using var insert = c.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES ($seq, $at, $actor, $action, $subject, $details, $prev, $hash)";
            insert.Parameters.AddWithValue("$seq", e.Seq);
            insert.Parameters.AddWithValue("$at", e.At.UtcTicks);
            insert.Parameters.AddWithValue("$actor", e.Actor);
            insert.Parameters.AddWithValue("$action", e.Action);
            insert.Parameters.AddWithValue("$subject", e.Subject);
            insert.Parameters.AddWithValue("$details", e.Details);
            insert.Parameters.AddWithValue("$prev", e.PreviousHash);
            insert.Parameters.AddWithValue("$hash", e.Hash);
            insert.ExecuteNonQuery();
            tx.Commit();
            WriteAnchor(e.Seq, e.Hash);
            return e;
        }, ct);
        return entry;
    }

    /// <summary>Entries after <paramref name="afterSeq"/>, oldest first.</summary>
    public IReadOnlyList<AuditEntry> Read(long afterSeq, int limit)
    {
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log WHERE seq > $after ORDER BY seq LIMIT $limit";
        cmd.Parameters.AddWithValue("$after", afterSeq);
        cmd.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 100_000));
        using var r = cmd.ExecuteReader();
        var list = new List<AuditEntry>();
        while (r.Read())
        {
            list.Add(ReadEntry(r));
        }
        return list;
    }

    /// <summary>Checks every entry, in stored order, and the head anchor.</summary>
    public AuditVerification Verify()
    {
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        // Row order, not seq order: a reordering that also renumbered rows must still show.
        cmd.CommandText = "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY rowid";
        using var r = cmd.ExecuteReader();
        var anchor = ReadAnchor();
        string? hashAtAnchor = null;
        long expected = 1;
        var prev = GenesisHash;
        while (r.Read())
        {
            var e = ReadEntry(r);
            if (e.Seq != expected)
            {
                return new AuditVerification(false, expected - 1, expected, $"entry {expected} is missing or out of order (found {e.Seq})");
            }
            if (e.PreviousHash != prev)
            {
                return new AuditVerification(false, expected - 1, e.Seq, $"entry {e.Seq} does not link to the entry before it (an entry was removed, inserted or reordered)");
            }
            if (HashOf(e.Seq, e.At, e.Actor, e.Action, e.Subject, e.Details, e.PreviousHash) != e.Hash)
            {
                return new AuditVerification(false, expected - 1, e.Seq, $"entry {e.Seq} was changed after it was written (its hash does not match its content)");
            }
            prev = e.Hash;
            if (anchor is { } a && a.Seq == e.Seq)
            {
                hashAtAnchor = e.Hash;
            }
            expected++;
        }
        var count = expected - 1;
        // The anchor is rewritten just after each commit, so a crash can leave it behind the log,
        // never ahead of it: ahead means entries were cut off the end.
        if (anchor is { } head)
        {
            if (head.Seq > count)
            {
                return new AuditVerification(false, count, count + 1, $"the log ends at entry {count} but the head anchor records entry {head.Seq}: entries were cut off the end");
            }
            if (head.Hash != hashAtAnchor)
            {
                return new AuditVerification(false, count, head.Seq, $"entry {head.Seq} does not match the head anchor: the log was rewritten");
            }
        }
        return new AuditVerification(true, count, null, null);
    }

    private static AuditEntry ReadEntry(SqliteDataReader r) =>
        new(r.GetInt64(0), new DateTimeOffset(r.GetInt64(1), TimeSpan.Zero), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7));

    /// <summary>h = SHA-256(prev ‖ seq ‖ at ticks ‖ actor ‖ action ‖ subject ‖ details), separated by U+001F, hex lower-case.</summary>
    public static string HashOf(long seq, DateTimeOffset at, string actor, string action, string subject, string details, string previousHash)
    {
        const char sep = '\u001f';
        var text = string.Join(sep, previousHash, seq.ToString(CultureInfo.InvariantCulture), at.UtcTicks.ToString(CultureInfo.InvariantCulture), actor, action, subject, details);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private void WriteAnchor(long seq, string hash)
    {
        lock (_anchorGate)
        {
            var temp = _anchorPath + ".tmp";
            File.WriteAllText(temp, $"{seq} {hash}\n");
            File.Move(temp, _anchorPath, overwrite: true);
        }
    }

    private (long Seq, string Hash)? ReadAnchor()
    {
        if (!File.Exists(_anchorPath))
        {
            return null;
        }
        var parts = File.ReadAllText(_anchorPath).Trim().Split(' ');
        return parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var seq) ? (seq, parts[1]) : (long.MaxValue, "unreadable");
    }
}
