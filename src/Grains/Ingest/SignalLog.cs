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
/// Ids are kept unique by an in-memory <see cref="SignalIdIndex"/>, and accounts' signals found by an in-memory
/// <see cref="AccountSignalIndex"/>, both rebuilt from the log when it opens, instead of indexes on disk (see there
/// why): the table is only ever appended to, in sequence order. Every write goes through this class.
/// </summary>
public sealed class SignalLog
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS signals (
          seq INTEGER PRIMARY KEY, -- rowid: dense, since the log never deletes
          id TEXT NOT NULL, -- unique: SignalLog keeps it so through its in-memory id index
          account TEXT NOT NULL,
          kind INTEGER NOT NULL,
          target TEXT NOT NULL,
          ts INTEGER NOT NULL,
          text TEXT,
          fingerprint TEXT,
          created_at INTEGER,
          handle TEXT,
          display_name TEXT,
          followers INTEGER, -- the platform's counts when the record was made (AccountProfile)
          following INTEGER,
          posts INTEGER);
        DROP INDEX IF EXISTS signals_by_account; -- replaced by AccountSignalIndex
        """;

    /// <summary>Newest signals kept in memory for <see cref="Read"/>: four pump reads' worth (a few MB).</summary>
    private const int RecentCapacity = 16_384;

    private readonly SqliteDatabase _db;
    private readonly SignalIdIndex _ids = new();
    private readonly AccountSignalIndex _accounts = new();
    private readonly RecentSignals _recent = new(RecentCapacity);
    private long _head;

    /// <summary>
    /// Opens the log in <paramref name="db"/>, creating its table on first use, and reads every id, account and time once
    /// to build the in-memory indexes (a sequential scan: about a second per few million signals).
    /// </summary>
    public SignalLog(SqliteDatabase db)
    {
        _db = db;
        _db.Write(c =>
        {
            AddMissingColumns(c);
            MigrateUniqueIdIndex(c);
            using var cmd = c.CreateCommand();
            cmd.CommandText = Schema;
            cmd.ExecuteNonQuery();
            cmd.CommandText = "SELECT seq, id, account, ts FROM signals ORDER BY seq";
            using var r = cmd.ExecuteReader();
            var accounts = new List<(string, long, long)>();
            while (r.Read())
            {
                _head = r.GetInt64(0);
                _ids.Add(SignalIdIndex.Hash(r.GetString(1)), _head);
                accounts.Add((r.GetString(2), r.GetInt64(3), _head));
                if (accounts.Count == 65536)
                {
                    _accounts.Add(accounts);
                    accounts.Clear();
                }
            }
            _accounts.Add(accounts);
            return 0;
        });
    }

    /// <summary>Columns appended to the table since its first release, each nullable so that older rows read as absent.</summary>
    private static readonly string[] AddedColumns = ["followers", "following", "posts"];

    /// <summary>
    /// Logs written before <see cref="AddedColumns"/> existed gain them, empty, in one transaction. Runs before
    /// <see cref="MigrateUniqueIdIndex"/>, whose copy names every current column.
    /// </summary>
    private static void AddMissingColumns(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        // PRAGMA table_info as a table: null when there is no table yet, which the schema then creates whole.
        cmd.CommandText = "SELECT group_concat(name, ' ') FROM pragma_table_info('signals')";
        if (cmd.ExecuteScalar() is not string columns)
        {
            return;
        }
        var present = columns.Split(' ');
        var missing = AddedColumns.Where(column => !present.Contains(column, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        using var tx = c.BeginTransaction();
        cmd.Transaction = tx;
        foreach (var column in missing)
        {
            cmd.CommandText = $"ALTER TABLE signals ADD COLUMN {column} INTEGER";
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>
    /// Logs written before the in-memory id index declared <c>id TEXT NOT NULL UNIQUE</c>; SQLite cannot drop that
    /// constraint's index, so the table is copied once into the current schema, in one transaction.
    /// </summary>
    private static void MigrateUniqueIdIndex(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'signals'";
        if (cmd.ExecuteScalar() is not string sql || !sql.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        using var tx = c.BeginTransaction();
        cmd.Transaction = tx;
        cmd.CommandText = "ALTER TABLE signals RENAME TO signals_unique_id;";
        cmd.ExecuteNonQuery();
        cmd.CommandText = Schema;
        cmd.ExecuteNonQuery();
        cmd.CommandText = $"INSERT INTO signals ({Columns}) SELECT {Columns} FROM signals_unique_id ORDER BY seq; DROP TABLE signals_unique_id;";
        cmd.ExecuteNonQuery();
        tx.Commit();
    }

    /// <summary>Raised after signals were appended, with the new head sequence number.</summary>
    public event Action<long>? Appended;

    /// <summary>The highest sequence number stored (0 when empty).</summary>
    public long Head => Interlocked.Read(ref _head);

    /// <summary>Appends signals durably; returns once the transaction is committed.</summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<Signal> signals, CancellationToken ct = default)
    {
        if (signals.Count == 0)
        {
            return new AppendResult(0, 0, []);
        }
        // Writes queue on the database's one writer (shared with grain storage) instead of
        // contending for SQLite's file lock; the id index is read and changed only there too.
        var result = await _db.WriteAsync(c => AppendLocked(c, signals), ct);
        Appended?.Invoke(Head);
        return result;
    }

    private AppendResult AppendLocked(SqliteConnection c, IReadOnlyList<Signal> signals)
    {
        using var tx = c.BeginTransaction();
        using var rows = new SignalRowWriter(c, $"INSERT INTO signals ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
        using var stored = c.CreateCommand();
        stored.Transaction = tx;
        stored.CommandText = BySeq;
        var pStoredSeq = stored.Parameters.Add("$seq", SqliteType.Integer);

        var head = _head;
        var added = new List<(long Hash, long Seq, int Index)>(signals.Count);
        // Ids stored earlier in this batch, which the id index learns only once the batch commits.
        var inBatch = new Dictionary<string, Signal>(StringComparer.Ordinal);
        var conflicts = new List<int>();
        var duplicates = 0;
        for (var index = 0; index < signals.Count; index++)
        {
            var s = signals[index];
            var hash = SignalIdIndex.Hash(s.Id);
            // Stored already (earlier, or earlier in this batch): same content is a harmless resend;
            // different content is a conflict the caller must hear about.
            var earlier = inBatch.TryGetValue(s.Id, out var first) ? first
                : _ids.MayContain(hash) ? StoredWithId(stored, pStoredSeq, s.Id)
                : null;
            if (earlier is not null)
            {
                if (SameContent(earlier, s))
                {
                    duplicates++;
                }
                else
                {
                    conflicts.Add(index);
                }
                continue;
            }
            rows.Insert(++head, s);
            inBatch[s.Id] = s;
            added.Add((hash, head, index));
        }
        tx.Commit();
        // Only a committed batch enters the index: a failed one leaves both the file and the index as they were.
        foreach (var (hash, seq, _) in added)
        {
            _ids.Add(hash, seq);
        }
        _accounts.Add(added.Select(a => (signals[a.Index].Account, signals[a.Index].Timestamp.UtcTicks, a.Seq)));
        _recent.Add(added.Select(a => (a.Seq, AsStored(signals[a.Index]))));
        Interlocked.Exchange(ref _head, head);
        return new AppendResult(added.Count, duplicates, conflicts);
    }

    /// <summary>
    /// The stored signal with id <paramref name="id"/>, null when none (the candidates of its hash hold other ids);
    /// <paramref name="stored"/> is a <see cref="BySeq"/> command with its <c>$seq</c> parameter <paramref name="pSeq"/>.
    /// </summary>
    private Signal? StoredWithId(SqliteCommand stored, SqliteParameter pSeq, string id)
    {
        foreach (var seq in _ids.Candidates(SignalIdIndex.Hash(id)))
        {
            pSeq.Value = seq;
            if (ReadRows(stored, 1) is [var (_, signal)] && signal.Id == id)
            {
                return signal;
            }
        }
        return null;
    }

    /// <summary>
    /// The signal as a read of its row returns it: times in UTC (the row keeps ticks, not the offset it was sent with), so
    /// that the pump derives the same from a signal whether it comes from memory or, on replay, from disk.
    /// </summary>
    private static Signal AsStored(Signal s) =>
        s.Timestamp.Offset == TimeSpan.Zero && (s.Profile?.CreatedAt is not { } created || created.Offset == TimeSpan.Zero)
            ? s
            : s with
            {
                Timestamp = s.Timestamp.ToUniversalTime(),
                Profile = s.Profile is { } p ? p with { CreatedAt = p.CreatedAt?.ToUniversalTime() } : null,
            };

    /// <summary>Whether a resend matches what is stored. Profile fields are metadata that a resend may or may not carry, so they are not compared.</summary>
    private static bool SameContent(Signal a, Signal b) =>
        a.Account == b.Account && a.Kind == b.Kind && a.Target == b.Target && a.Timestamp.UtcTicks == b.Timestamp.UtcTicks
        && a.Text == b.Text && a.Fingerprint == b.Fingerprint;

    private const string Columns = "seq, id, account, kind, target, ts, text, fingerprint, created_at, handle, display_name, followers, following, posts";

    /// <summary>The row with sequence number <c>$seq</c>.</summary>
    private const string BySeq = $"SELECT {Columns} FROM signals WHERE seq = $seq";

    /// <summary>Up to <paramref name="limit"/> signals with sequence numbers above <paramref name="afterSeq"/>, in order.</summary>
    public List<(long Seq, Signal Signal)> Read(long afterSeq, int limit)
    {
        if (_recent.TryRead(afterSeq, limit) is { } recent)
        {
            return recent;
        }
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM signals WHERE seq > $after ORDER BY seq LIMIT $limit";
        cmd.Parameters.AddWithValue("$after", afterSeq);
        cmd.Parameters.AddWithValue("$limit", limit);
        return ReadRows(cmd, limit);
    }

    /// <summary>Signals of the given accounts, oldest first, at most <paramref name="limit"/>, for timelines and history.</summary>
    public List<Signal> ReadAccounts(IReadOnlyCollection<string> accounts, int limit) =>
        ReadSequences(_accounts.Earliest(accounts, Math.Clamp(limit, 1, 100_000)));

    /// <summary>Signals of <paramref name="account"/> at exactly <paramref name="at"/> (evidence lookups).</summary>
    public List<Signal> ReadAccountAt(string account, DateTimeOffset at) => ReadSequences(_accounts.At(account, at.UtcTicks, 16));

    /// <summary>The signals with the given sequence numbers, in the order given.</summary>
    private List<Signal> ReadSequences(List<long> sequences)
    {
        const int PerQuery = 500;
        var bySeq = new Dictionary<long, Signal>(sequences.Count);
        using var c = _db.OpenConnection();
        for (var at = 0; at < sequences.Count; at += PerQuery)
        {
            var chunk = sequences.GetRange(at, Math.Min(PerQuery, sequences.Count - at));
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM signals WHERE seq IN ({string.Join(", ", chunk)})";
            foreach (var (seq, signal) in ReadRows(cmd, chunk.Count))
            {
                bySeq[seq] = signal;
            }
        }
        return sequences.Select(s => bySeq[s]).ToList();
    }

    private static List<(long Seq, Signal Signal)> ReadRows(SqliteCommand cmd, int limit)
    {
        using var r = cmd.ExecuteReader();
        var result = new List<(long, Signal)>(Math.Min(limit, 65536));
        while (r.Read())
        {
            AccountProfile? profile = null;
            if (!r.IsDBNull(8) || !r.IsDBNull(9) || !r.IsDBNull(10) || !r.IsDBNull(11) || !r.IsDBNull(12) || !r.IsDBNull(13))
            {
                profile = new AccountProfile(
                    r.IsDBNull(8) ? null : new DateTimeOffset(r.GetInt64(8), TimeSpan.Zero),
                    r.IsDBNull(9) ? null : r.GetString(9),
                    r.IsDBNull(10) ? null : r.GetString(10),
                    r.IsDBNull(11) ? null : r.GetInt64(11),
                    r.IsDBNull(12) ? null : r.GetInt64(12),
                    r.IsDBNull(13) ? null : r.GetInt64(13));
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
    public bool Contains(string id) => _db.Write(c =>
    {
        // Under the writer lock, like every other use of the id index.
        using var stored = c.CreateCommand();
        stored.CommandText = BySeq;
        return StoredWithId(stored, stored.Parameters.Add("$seq", SqliteType.Integer), id) is not null;
    });
}
