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
/// Signals are stored in blocks of consecutive sequence numbers (<see cref="SignalBlock"/>: one row per up to 256
/// signals, not one per signal). Ids are kept unique by an in-memory <see cref="SignalIdIndex"/>, accounts' signals found
/// by an in-memory <see cref="AccountSignalIndex"/>, and blocks by an in-memory list of their first sequence numbers, all
/// rebuilt from the log when it opens, instead of indexes on disk (see there why): the table is only ever appended to,
/// in sequence order. Every write goes through this class.
/// </summary>
public sealed class SignalLog
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS signal_blocks (
          first_seq INTEGER PRIMARY KEY, -- sequence number of the block's first signal; the others follow densely
          count INTEGER NOT NULL, -- signals in the block, 1 to SignalBlock.MaxSignals
          data BLOB NOT NULL); -- SignalBlock format
        """;

    /// <summary>Newest signals kept in memory for <see cref="Read"/>: four pump reads' worth (a few MB).</summary>
    private const int RecentCapacity = 16_384;

    private readonly SqliteDatabase _db;
    private readonly SignalIdIndex _ids = new();
    private readonly AccountSignalIndex _accounts = new();
    private readonly RecentSignals _recent = new(RecentCapacity);
    private readonly BlockStarts _blocks = new();
    private long _head;
    private byte[] _buffer = new byte[1 << 16];

    /// <summary>
    /// Opens the log in <paramref name="db"/>, creating its table on first use (and moving a log written one row per
    /// signal into blocks), and reads every id, account and time once to build the in-memory indexes (a sequential scan:
    /// about a second per million signals, 13 s for 10 million).
    /// </summary>
    public SignalLog(SqliteDatabase db)
    {
        _db = db;
        _db.Write(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = Schema;
            cmd.ExecuteNonQuery();
            MigrateRowsToBlocks(c);
            cmd.CommandText = "SELECT first_seq, data FROM signal_blocks ORDER BY first_seq";
            using var r = cmd.ExecuteReader();
            var keys = new OpenScan(this);
            while (r.Read())
            {
                var first = r.GetInt64(0);
                keys.First = first;
                SignalBlock.ForEach(Blob(r, 1), first, ref keys, static (ref OpenScan scan, int index, ReadOnlySpan<byte> record) => scan.Add(index, record));
                _blocks.Add(first);
                if (keys.Accounts.Count >= 65536)
                {
                    _accounts.Add(keys.Accounts);
                    keys.Accounts.Clear();
                }
            }
            _accounts.Add(keys.Accounts);
            return 0;
        });
    }

    /// <summary>What the opening scan gathers from each record.</summary>
    private struct OpenScan(SignalLog log)
    {
        public long First;
        public readonly List<(string, long, long)> Accounts = new(65536);

        public void Add(int index, ReadOnlySpan<byte> record)
        {
            var seq = First + index;
            var (id, account, ticks) = SignalBlock.DecodeKeys(record, seq);
            log._ids.Add(SignalIdIndex.Hash(id), seq);
            Accounts.Add((account, ticks, seq));
            log._head = seq;
        }
    }

    /// <summary>
    /// Logs written before blocks kept one row per signal in a table <c>signals</c> (whichever of its columns the version
    /// that wrote it had: the account counts came later). Its rows are packed into blocks with the same sequence numbers
    /// and the table dropped, in one transaction, so that a crash midway leaves the old table as it was.
    /// </summary>
    private void MigrateRowsToBlocks(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT group_concat(name, ' ') FROM pragma_table_info('signals')";
        if (cmd.ExecuteScalar() is not string columns)
        {
            return;
        }
        var present = columns.Split(' ').ToHashSet(StringComparer.OrdinalIgnoreCase);
        string Column(string name) => present.Contains(name) ? name : "NULL";
        using var tx = c.BeginTransaction();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT seq, id, account, kind, target, ts, text, fingerprint, created_at, handle, display_name, " +
            $"{Column("followers")}, {Column("following")}, {Column("posts")} FROM signals ORDER BY seq";
        var run = new List<Signal>(SignalBlock.MaxSignals);
        var runFirst = 0L;
        using (var blocks = new SignalBlockWriter(c, InsertBlock))
        {
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var seq = r.GetInt64(0);
                    // A block holds dense sequence numbers; the old table was dense too, but a gap is kept, not closed.
                    if (run.Count == SignalBlock.MaxSignals || (run.Count > 0 && seq != runFirst + run.Count))
                    {
                        blocks.Insert(runFirst, run, ref _buffer);
                        run.Clear();
                    }
                    if (run.Count == 0)
                    {
                        runFirst = seq;
                    }
                    run.Add(RowSignal(r));
                }
            }
            if (run.Count > 0)
            {
                blocks.Insert(runFirst, run, ref _buffer);
            }
        }
        cmd.CommandText = "DROP TABLE signals";
        cmd.ExecuteNonQuery();
        tx.Commit();
    }

    /// <summary>A row of the old one-row-per-signal table (columns as <see cref="MigrateRowsToBlocks"/> selects them).</summary>
    private static Signal RowSignal(SqliteDataReader r)
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
        return new Signal(
            r.GetString(1), r.GetString(2), (SignalKind)r.GetInt32(3), r.GetString(4),
            new DateTimeOffset(r.GetInt64(5), TimeSpan.Zero),
            r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetString(7),
            profile);
    }

    private const string InsertBlock = "INSERT INTO signal_blocks (first_seq, count, data) VALUES (?1, ?2, ?3)";

    /// <summary>Raised after signals were appended, with the new head sequence number.</summary>
    public event Action<long>? Appended;

    /// <summary>The highest sequence number stored (0 when empty).</summary>
    public long Head => Interlocked.Read(ref _head);

    /// <summary>Appends signals durably; returns once the transaction is committed.</summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<Signal> signals, CancellationToken ct = default) =>
        // Writes queue on the database's one writer (shared with grain storage) instead of
        // contending for SQLite's file lock; the id index is read and changed only there too.
        signals.Count == 0 ? new AppendResult(0, 0, []) : Announce(await _db.WriteAsync(c => AppendLocked(c, signals), ct));

    /// <summary>
    /// Synchronous form of <see cref="AppendAsync"/>, for callers on a thread of their own (ingest on the background
    /// threads) that would rather wait for the writer than return the thread and come back on the pool.
    /// </summary>
    public AppendResult Append(IReadOnlyList<Signal> signals) =>
        signals.Count == 0 ? new AppendResult(0, 0, []) : Announce(_db.Write(c => AppendLocked(c, signals)));

    /// <summary>Raises <see cref="Appended"/> after a committed append and passes its result on.</summary>
    private AppendResult Announce(AppendResult result)
    {
        Appended?.Invoke(Head);
        return result;
    }

    private AppendResult AppendLocked(SqliteConnection c, IReadOnlyList<Signal> signals)
    {
        using var tx = c.BeginTransaction();
        var head = _head;
        var added = new List<(long Hash, long Seq, int Index)>(signals.Count);
        var accepted = new List<Signal>(signals.Count);
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
                : _ids.MayContain(hash) ? StoredWithId(c, s.Id)
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
            inBatch[s.Id] = s;
            added.Add((hash, ++head, index));
            accepted.Add(s);
        }
        var starts = new List<long>();
        using (var blocks = new SignalBlockWriter(c, InsertBlock))
        {
            for (var at = 0; at < accepted.Count; at += SignalBlock.MaxSignals)
            {
                var block = accepted.GetRange(at, Math.Min(SignalBlock.MaxSignals, accepted.Count - at));
                blocks.Insert(_head + 1 + at, block, ref _buffer);
                starts.Add(_head + 1 + at);
            }
        }
        tx.Commit();
        // Only a committed batch enters the indexes: a failed one leaves both the file and the indexes as they were.
        foreach (var (hash, seq, _) in added)
        {
            _ids.Add(hash, seq);
        }
        _blocks.Add(starts);
        _accounts.Add(added.Select(a => (signals[a.Index].Account, signals[a.Index].Timestamp.UtcTicks, a.Seq)));
        _recent.Add(added.Select(a => (a.Seq, AsStored(signals[a.Index]))));
        Interlocked.Exchange(ref _head, head);
        return new AppendResult(added.Count, duplicates, conflicts);
    }

    /// <summary>The stored signal with id <paramref name="id"/>, null when none (the candidates of its hash hold other ids).</summary>
    private Signal? StoredWithId(SqliteConnection c, string id)
    {
        foreach (var seq in _ids.Candidates(SignalIdIndex.Hash(id)))
        {
            if (ReadSequences(c, [seq]) is [var signal] && signal.Id == id)
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

    /// <summary>Up to <paramref name="limit"/> signals with sequence numbers above <paramref name="afterSeq"/>, in order.</summary>
    public List<(long Seq, Signal Signal)> Read(long afterSeq, int limit)
    {
        if (_recent.TryRead(afterSeq, limit) is { } recent)
        {
            return recent;
        }
        var result = new List<(long Seq, Signal Signal)>(Math.Min(Math.Max(limit, 0), 65536));
        if (limit < 1 || _blocks.Containing(afterSeq + 1) is not { } start)
        {
            return result;
        }
        using var c = _db.OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT first_seq, data FROM signal_blocks WHERE first_seq >= $start ORDER BY first_seq";
        cmd.Parameters.AddWithValue("$start", start);
        return ScanBlocks(cmd, afterSeq, limit, result);
    }

    /// <summary>
    /// Decodes the signals after <paramref name="afterSeq"/> from the blocks <paramref name="cmd"/> selects (first
    /// sequence number, data; in order) into <paramref name="result"/>, stopping at <paramref name="limit"/>.
    /// </summary>
    private static List<(long Seq, Signal Signal)> ScanBlocks(SqliteCommand cmd, long afterSeq, int limit, List<(long Seq, Signal Signal)> result)
    {
        using var r = cmd.ExecuteReader();
        var scan = new RangeScan(afterSeq, limit, result);
        while (result.Count < limit && r.Read())
        {
            scan.First = r.GetInt64(0);
            SignalBlock.ForEach(Blob(r, 1), scan.First, ref scan, static (ref RangeScan s, int index, ReadOnlySpan<byte> record) => s.Add(index, record));
        }
        return result;
    }

    private struct RangeScan(long afterSeq, int limit, List<(long Seq, Signal Signal)> result)
    {
        public long First;
        public readonly List<(long Seq, Signal Signal)> Result = result;

        public readonly void Add(int index, ReadOnlySpan<byte> record)
        {
            var seq = First + index;
            if (seq > afterSeq && Result.Count < limit)
            {
                Result.Add((seq, SignalBlock.Decode(record, seq)));
            }
        }
    }

    /// <summary>Signals of the given accounts, oldest first, at most <paramref name="limit"/>, for timelines and history.</summary>
    public List<Signal> ReadAccounts(IReadOnlyCollection<string> accounts, int limit) =>
        ReadSequences(_accounts.Earliest(accounts, Math.Clamp(limit, 1, 100_000)));

    /// <summary>Signals of <paramref name="account"/> at exactly <paramref name="at"/> (evidence lookups).</summary>
    public List<Signal> ReadAccountAt(string account, DateTimeOffset at) => ReadSequences(_accounts.At(account, at.UtcTicks, 16));

    /// <summary>The signals with the given sequence numbers, in the order given.</summary>
    private List<Signal> ReadSequences(List<long> sequences)
    {
        using var c = _db.OpenConnection();
        return ReadSequences(c, sequences);
    }

    /// <summary>The signals with the given (stored) sequence numbers, in the order given, read through <paramref name="c"/>.</summary>
    private List<Signal> ReadSequences(SqliteConnection c, List<long> sequences)
    {
        const int PerQuery = 500;
        var wanted = new Dictionary<long, List<long>>();
        foreach (var seq in sequences)
        {
            var start = _blocks.Containing(seq) ?? throw new InvalidOperationException($"sequence number {seq} is not in the signal log");
            if (!wanted.TryGetValue(start, out var list))
            {
                wanted[start] = list = [];
            }
            list.Add(seq);
        }
        var bySeq = new Dictionary<long, Signal>(sequences.Count);
        var starts = wanted.Keys.ToList();
        for (var at = 0; at < starts.Count; at += PerQuery)
        {
            var chunk = starts.GetRange(at, Math.Min(PerQuery, starts.Count - at));
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT first_seq, data FROM signal_blocks WHERE first_seq IN ({string.Join(", ", chunk)})";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var pick = new PickScan(r.GetInt64(0), wanted[r.GetInt64(0)], bySeq);
                SignalBlock.ForEach(Blob(r, 1), pick.First, ref pick, static (ref PickScan s, int index, ReadOnlySpan<byte> record) => s.Add(index, record));
            }
        }
        return sequences.Select(s => bySeq[s]).ToList();
    }

    private readonly struct PickScan(long first, List<long> wanted, Dictionary<long, Signal> found)
    {
        public long First => first;

        public void Add(int index, ReadOnlySpan<byte> record)
        {
            if (wanted.Contains(first + index))
            {
                found[first + index] = SignalBlock.Decode(record, first + index);
            }
        }
    }

    /// <summary>Column <paramref name="ordinal"/> of the current row as bytes (a copy the driver makes per block).</summary>
    private static ReadOnlySpan<byte> Blob(SqliteDataReader r, int ordinal) => (byte[])r.GetValue(ordinal);

    /// <summary>Whether a signal id is stored.</summary>
    public bool Contains(string id) => _db.Write(c => StoredWithId(c, id) is not null); // under the writer lock, like every other use of the id index

    /// <summary>
    /// Every signal stored in the log file that <paramref name="connection"/> has open, in sequence order, read straight
    /// from its blocks: for audits and tests that check what a silo kept, from another process or a read-only connection,
    /// without opening the log (which would build its indexes).
    /// </summary>
    public static List<(long Seq, Signal Signal)> ReadFile(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT first_seq, data FROM signal_blocks ORDER BY first_seq";
        return ScanBlocks(cmd, 0, int.MaxValue, []);
    }
}

/// <summary>The first sequence number of every block, ascending, to find the block holding a sequence number.</summary>
internal sealed class BlockStarts
{
    private readonly List<long> _starts = [];
    private readonly Lock _lock = new();

    public void Add(long start)
    {
        lock (_lock)
        {
            _starts.Add(start);
        }
    }

    public void Add(IEnumerable<long> starts)
    {
        lock (_lock)
        {
            _starts.AddRange(starts);
        }
    }

    /// <summary>The start of the block that holds <paramref name="seq"/> if it is stored (else of the last block before
    /// it); null when <paramref name="seq"/> precedes every block.</summary>
    public long? Containing(long seq)
    {
        lock (_lock)
        {
            var i = _starts.BinarySearch(seq);
            if (i < 0)
            {
                i = ~i - 1;
            }
            return i < 0 ? null : _starts[i];
        }
    }
}
