using Cib.Detection.Signals;
using Cib.Runtime;
using Microsoft.Data.Sqlite;

namespace Cib.Grains.Ingest;

/// <summary>What appending a batch did.</summary>
/// <param name="Accepted">Signals stored now.</param>
/// <param name="Duplicates">Signals whose id was already stored with the same content (a resend): nothing changed.</param>
/// <param name="Conflicts">Indices (into the appended list) of signals whose id was already stored, or
/// given earlier in the same batch, with different content: the first stored wins, and the caller is
/// told instead of the resend being counted as a duplicate.</param>
public readonly record struct AppendResult(int Accepted, int Duplicates, IReadOnlyList<int> Conflicts);

/// <summary>
/// The durable signal log: every acknowledged signal, in acceptance order, numbered by a sequence.
/// It is the source of truth; everything the grains derive from signals (features, windows, edges)
/// can be rebuilt by replaying it. A batch is appended in one transaction, so an acknowledged batch
/// is entirely on disk, and a repeated id is ignored, so a caller may resend a batch safely.
/// </summary>
public sealed class SignalLog
{
    private readonly SqliteDatabase _db;
    private long _head = -1;

    /// <summary>Opens the log in <paramref name="db"/>, creating its table on first use.</summary>
    public SignalLog(SqliteDatabase db)
    {
        _db = db;
        _db.Write(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
            CREATE TABLE IF NOT EXISTS signals (
              seq INTEGER PRIMARY KEY, -- rowid: dense, since the log never deletes
              id TEXT NOT NULL UNIQUE,
              account TEXT NOT NULL,
              kind INTEGER NOT NULL,
              target TEXT NOT NULL,
              ts INTEGER NOT NULL,
              text TEXT,
              fingerprint TEXT,
              created_at INTEGER,
              handle TEXT,
              display_name TEXT);
            CREATE INDEX IF NOT EXISTS signals_by_account ON signals (account, ts);
            """;
            return cmd.ExecuteNonQuery();
        });
    }

    /// <summary>Raised after signals were appended, with the new head sequence number.</summary>
    public event Action<long>? Appended;

    /// <summary>The highest sequence number stored (0 when empty).</summary>
    public long Head
    {
        get
        {
            if (_head >= 0)
            {
                return _head;
            }
            using var c = _db.OpenConnection();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM signals";
            _head = (long)cmd.ExecuteScalar()!;
            return _head;
        }
    }

    /// <summary>Appends signals durably; returns once the transaction is committed.</summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<Signal> signals, CancellationToken ct = default)
    {
        if (signals.Count == 0)
        {
            return new AppendResult(0, 0, []);
        }
        // Writes queue on the database's one writer (shared with grain storage) instead of
        // contending for SQLite's file lock.
        var result = await _db.WriteAsync(c => AppendLocked(c, signals), ct);
        Appended?.Invoke(_head);
        return result;
    }

    private AppendResult AppendLocked(Microsoft.Data.Sqlite.SqliteConnection c, IReadOnlyList<Signal> signals)
    {
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT OR IGNORE INTO signals (id, account, kind, target, ts, text, fingerprint, created_at, handle, display_name)
            VALUES ($id, $account, $kind, $target, $ts, $text, $fp, $created, $handle, $display)
            """;
        var pId = cmd.Parameters.Add("$id", SqliteType.Text);
        var pAccount = cmd.Parameters.Add("$account", SqliteType.Text);
        var pKind = cmd.Parameters.Add("$kind", SqliteType.Integer);
        var pTarget = cmd.Parameters.Add("$target", SqliteType.Text);
        var pTs = cmd.Parameters.Add("$ts", SqliteType.Integer);
        var pText = cmd.Parameters.Add("$text", SqliteType.Text);
        var pFp = cmd.Parameters.Add("$fp", SqliteType.Text);
        var pCreated = cmd.Parameters.Add("$created", SqliteType.Integer);
        var pHandle = cmd.Parameters.Add("$handle", SqliteType.Text);
        var pDisplay = cmd.Parameters.Add("$display", SqliteType.Text);
        cmd.Prepare();
        var accepted = 0;
        var conflicts = new List<int>();
        using var stored = c.CreateCommand();
        stored.Transaction = tx;
        stored.CommandText = "SELECT account, kind, target, ts, text, fingerprint FROM signals WHERE id = $id";
        var pStoredId = stored.Parameters.Add("$id", SqliteType.Text);
        for (var index = 0; index < signals.Count; index++)
        {
            var s = signals[index];
            pId.Value = s.Id;
            pAccount.Value = s.Account;
            pKind.Value = (int)s.Kind;
            pTarget.Value = s.Target;
            pTs.Value = s.Timestamp.UtcTicks;
            pText.Value = (object?)s.Text ?? DBNull.Value;
            pFp.Value = (object?)s.Fingerprint ?? DBNull.Value;
            pCreated.Value = (object?)s.Profile?.CreatedAt?.UtcTicks ?? DBNull.Value;
            pHandle.Value = (object?)s.Profile?.Handle ?? DBNull.Value;
            pDisplay.Value = (object?)s.Profile?.DisplayName ?? DBNull.Value;
            if (cmd.ExecuteNonQuery() == 1)
            {
                accepted++;
                continue;
            }
            // Ignored: the id is stored (earlier, or earlier in this batch). Same content is a
            // harmless resend; different content is a conflict the caller must hear about.
            // Profile fields are metadata that a resend may or may not carry, so they are not compared.
            pStoredId.Value = s.Id;
            using var r = stored.ExecuteReader();
            if (r.Read() && !(r.GetString(0) == s.Account && r.GetInt32(1) == (int)s.Kind && r.GetString(2) == s.Target && r.GetInt64(3) == s.Timestamp.UtcTicks
                && (r.IsDBNull(4) ? null : r.GetString(4)) == s.Text && (r.IsDBNull(5) ? null : r.GetString(5)) == s.Fingerprint))
            {
                conflicts.Add(index);
            }
        }
        using var head = c.CreateCommand();
        head.Transaction = tx;
        head.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM signals";
        var newHead = (long)head.ExecuteScalar()!;
        tx.Commit();
        _head = newHead;
        return new AppendResult(accepted, signals.Count - accepted - conflicts.Count, conflicts);
    }

    private const string Columns = "seq, id, account, kind, target, ts, text, fingerprint, created_at, handle, display_name";

    /// <summary>Up to <paramref name="limit"/> signals with sequence numbers above <paramref name="afterSeq"/>, in order.</summary>
    public List<(long Seq, Signal Signal)> Read(long afterSeq, int limit)
    {
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM signals WHERE seq > $after ORDER BY seq LIMIT $limit";
        cmd.Parameters.AddWithValue("$after", afterSeq);
        cmd.Parameters.AddWithValue("$limit", limit);
        return ReadRows(cmd, limit);
    }

    /// <summary>Signals of the given accounts, oldest first, at most <paramref name="limit"/>, for timelines and history.</summary>
    public List<Signal> ReadAccounts(IReadOnlyCollection<string> accounts, int limit)
    {
        if (accounts.Count == 0)
        {
            return [];
        }
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        var names = accounts.Select((_, i) => "$a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        cmd.CommandText = $"SELECT {Columns} FROM signals WHERE account IN ({string.Join(", ", names)}) ORDER BY ts LIMIT $limit";
        var k = 0;
        foreach (var a in accounts)
        {
            cmd.Parameters.AddWithValue(names[k++], a);
        }
        cmd.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 100_000));
        return ReadRows(cmd, limit).ConvertAll(x => x.Signal);
    }

    /// <summary>Signals of <paramref name="account"/> at exactly <paramref name="at"/> (evidence lookups).</summary>
    public List<Signal> ReadAccountAt(string account, DateTimeOffset at)
    {
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM signals WHERE account = $account AND ts = $ts LIMIT 16";
        cmd.Parameters.AddWithValue("$account", account);
        cmd.Parameters.AddWithValue("$ts", at.UtcTicks);
        return ReadRows(cmd, 16).ConvertAll(x => x.Signal);
    }

    private static List<(long Seq, Signal Signal)> ReadRows(SqliteCommand cmd, int limit)
    {
        using var r = cmd.ExecuteReader();
        var result = new List<(long, Signal)>(Math.Min(limit, 65536));
        while (r.Read())
        {
            AccountProfile? profile = null;
            if (!r.IsDBNull(8) || !r.IsDBNull(9) || !r.IsDBNull(10))
            {
                profile = new AccountProfile(
                    r.IsDBNull(8) ? null : new DateTimeOffset(r.GetInt64(8), TimeSpan.Zero),
                    r.IsDBNull(9) ? null : r.GetString(9),
                    r.IsDBNull(10) ? null : r.GetString(10));
            }
            result.Add((r.GetInt64(0), new Signal(
                r.GetString(1), r.GetString(2), (SignalKind)r.GetInt32(3), r.GetString(4),
                new DateTimeOffset(r.GetInt64(5), TimeSpan.Zero),
                r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7),
                profile)));
        }
        return result;
    }

    /// <summary>Whether a signal id is stored.</summary>
    public bool Contains(string id)
    {
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM signals WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return cmd.ExecuteScalar() is not null;
    }
}
