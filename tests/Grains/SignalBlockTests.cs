using Cib.Detection.Signals;
using Cib.Detection.Tests.Properties;
using Cib.Grains.Ingest;
using Cib.Runtime;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;

namespace Cib.Grains.Tests;

/// <summary>The signal log's block format: every signal comes back as stored, from any block, and a damaged block is refused by name.</summary>
public sealed partial class SignalLogTests
{
    /// <summary>What reading a stored signal gives back: times in UTC (the log keeps ticks), a profile with no field as none.</summary>
    private static Signal Stored(Signal s) => s with
    {
        Timestamp = s.Timestamp.ToUniversalTime(),
        Profile = s.Profile is { } p && (p.CreatedAt, p.Handle, p.DisplayName, p.Followers, p.Following, p.Posts) != default
            ? p with { CreatedAt = p.CreatedAt?.ToUniversalTime() }
            : null,
    };

    [Fact]
    public void Any_signals_the_readers_accept_come_back_from_a_block_unchanged_and_one_at_a_time()
    {
        var blocks = Gen.NonEmptyListOf(Generators.Signal).Select(l => l.Take(SignalBlock.MaxSignals).ToArray());
        var buffer = new byte[16];
        Generators.Holds(blocks.ToArbitrary(), signals =>
        {
            var length = SignalBlock.Write(signals, ref buffer);
            var block = buffer.AsSpan(0, length).ToArray();
            var decoded = new List<Signal>();
            SignalBlock.ForEach(block, 1, ref decoded, static (ref List<Signal> list, int index, ReadOnlySpan<byte> record) =>
            {
                Assert.Equal(list.Count, index);
                list.Add(SignalBlock.Decode(record, index));
            });
            Assert.Equal(signals.Length, SignalBlock.Count(block, 1));
            Assert.Equal(signals.Select(Stored), decoded);
            return true;
        }, tests: 200);
    }

    [Fact]
    public void A_block_of_another_format_or_cut_short_is_refused_with_its_first_sequence_number()
    {
        var buffer = new byte[16];
        var length = SignalBlock.Write([new Signal("a", "u1", SignalKind.Post, "p1", T0, "hello")], ref buffer);
        var block = buffer.AsSpan(0, length).ToArray();

        var other = (byte[])block.Clone();
        other[0] = 9;
        var format = Assert.Throws<InvalidDataException>(() => SignalBlock.Count(other, 4097));
        Assert.Contains("sequence 4097", format.Message);
        Assert.Contains("format byte 9", format.Message);

        var none = 0;
        var cut = Assert.Throws<InvalidDataException>(() =>
            SignalBlock.ForEach(block.AsSpan(0, length - 3), 12, ref none, static (ref int n, int index, ReadOnlySpan<byte> record) => n++));
        Assert.Contains("sequence 12", cut.Message);
        Assert.Contains("runs past", cut.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalBlock.Write(new Signal[SignalBlock.MaxSignals + 1], ref buffer));

        // Inside a record: the id's length made to run past the record, then its text made not UTF-8.
        var record = block.AsSpan(9, length - 9).ToArray();
        var longer = (byte[])record.Clone();
        longer[0] = 200;
        var past = Assert.Throws<InvalidDataException>(() => SignalBlock.Decode(longer, 77));
        Assert.Contains("record 77", past.Message);
        Assert.Throws<InvalidDataException>(() => SignalBlock.DecodeKeys(longer, 77));
        var garbled = (byte[])record.Clone();
        garbled[4] = 0xFF; // the id's one byte, "a"
        Assert.Contains("not UTF-8", Assert.Throws<InvalidDataException>(() => SignalBlock.Decode(garbled, 78)).Message);
        Assert.Equal("a", SignalBlock.Decode(record, 79).Id);
    }

    [Fact]
    public async Task Reads_by_position_account_and_file_agree_across_block_boundaries_and_reopening()
    {
        // One batch of 1,000 (four blocks, the last partial), then batches of 1 and 300, so blocks have several sizes.
        var all = Enumerable.Range(0, 1301)
            .Select(i => new Signal($"s{i}", $"u{i % 37}", (SignalKind)(i % 8), $"t{i % 91}", T0.AddSeconds(i * 7 % 1301),
                i % 3 == 0 ? $"text {i} ✓" : null, null, i % 5 == 0 ? new AccountProfile(T0.AddDays(-i), $"h{i}", null, Followers: i) : null))
            .ToList();
        using (var db = new SqliteDatabase(DatabasePath))
        {
            var log = new SignalLog(db);
            Assert.Equal(1000, (await log.AppendAsync(all[..1000])).Accepted);
            Assert.Equal(1, (await log.AppendAsync(all[1000..1001])).Accepted);
            Assert.Equal(300, (await log.AppendAsync(all[1001..])).Accepted);
        }

        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly"))
        {
            connection.Open();
            Assert.Equal(all.Select((s, i) => ((long)i + 1, s)), SignalLog.ReadFile(connection));
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT group_concat(count) FROM (SELECT count FROM signal_blocks ORDER BY first_seq)";
            Assert.Equal("256,256,256,232,1,256,44", cmd.ExecuteScalar());
        }

        using (var db = new SqliteDatabase(DatabasePath))
        {
            var log = new SignalLog(db);
            Assert.Equal(1301, log.Head);
            // Pages that start and end inside blocks and on their edges, as a pump replaying from disk reads them.
            foreach (var (after, limit) in new[] { (0L, 256), (255L, 2), (256L, 1000), (999L, 5), (1000L, 1), (1001L, 400), (1300L, 10), (1301L, 10) })
            {
                var expected = all.Skip((int)after).Take(limit).Select((s, i) => (after + 1 + i, s));
                Assert.Equal(expected, log.Read(after, limit));
            }
            var u5 = all.Where(s => s.Account == "u5").OrderBy(s => s.Timestamp).ThenBy(s => int.Parse(s.Id[1..])).ToList();
            Assert.Equal(u5.Take(20), log.ReadAccounts(["u5"], 20));
            Assert.True(log.Contains("s1300"));
            Assert.Equal((0, 2), await log.AppendAsync([all[0], all[1300]]) is var r ? (r.Accepted, r.Duplicates) : default);
            Assert.Single((await log.AppendAsync([all[700] with { Target = "changed" }])).Conflicts);
        }
    }

    [Fact]
    public async Task A_log_of_one_row_per_signal_moves_into_blocks_with_its_sequence_numbers_and_the_old_table_goes()
    {
        // 600 rows with a gap after 300: blocks hold dense numbers, so the gap starts a block instead of being closed.
        using (var c = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            c.Open();
            using var tx = c.BeginTransaction();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE signals (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, account TEXT NOT NULL, kind INTEGER NOT NULL,
                  target TEXT NOT NULL, ts INTEGER NOT NULL, text TEXT, fingerprint TEXT, created_at INTEGER, handle TEXT, display_name TEXT,
                  followers INTEGER, following INTEGER, posts INTEGER);
                """;
            cmd.ExecuteNonQuery();
            cmd.CommandText = "INSERT INTO signals (seq, id, account, kind, target, ts, text, posts) VALUES ($seq, $id, 'u1', 2, 'p', $ts, 'x', $posts)";
            var (pSeq, pId, pTs, pPosts) = (cmd.Parameters.Add("$seq", SqliteType.Integer), cmd.Parameters.Add("$id", SqliteType.Text),
                cmd.Parameters.Add("$ts", SqliteType.Integer), cmd.Parameters.Add("$posts", SqliteType.Integer));
            for (var i = 1; i <= 600; i++)
            {
                (pSeq.Value, pId.Value, pTs.Value, pPosts.Value) = (i <= 300 ? i : i + 10, $"old-{i}", T0.AddSeconds(i).UtcTicks, i % 2 == 0 ? i : DBNull.Value);
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
        SqliteConnection.ClearAllPools();

        using var db = new SqliteDatabase(DatabasePath);
        var log = new SignalLog(db);
        Assert.Equal(610, log.Head);
        var read = log.Read(0, 1000);
        Assert.Equal(Enumerable.Range(1, 600).Select(i => (long)(i <= 300 ? i : i + 10)), read.Select(x => x.Seq));
        Assert.Equal(new Signal("old-400", "u1", SignalKind.Reply, "p", T0.AddSeconds(400), "x", null, new AccountProfile(null, null, null, Posts: 400)),
            read[399].Signal);
        Assert.Null(read[400].Signal.Profile);
        Assert.Equal((611L, "new"), (await log.AppendAsync([new Signal("new", "u2", SignalKind.Post, "q", T0)])) is { Accepted: 1 } ? log.Read(610, 5).Select(x => (x.Seq, x.Signal.Id)).Single() : default);
        using var check = db.OpenConnection();
        using var tables = check.CreateCommand();
        tables.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'";
        Assert.Equal("signal_blocks", tables.ExecuteScalar());
    }
}
