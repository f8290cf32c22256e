using System.Runtime.CompilerServices;
using System.Text;
using Cib.Detection.Formats;

namespace Cib.Detection.Batch;

/// <summary>
/// Reads a toolkit CSV held in memory in parallel chunks, with the same result as the sequential
/// <see cref="ToolkitMessages.Read(Stream)"/>: the same messages in the same order, the same
/// rejections and duplicates.
/// </summary>
/// <remarks>
/// <para>Chunk boundaries. A chunk starts just after a line break that a quote count says lies
/// outside quotes (a count that a stray quote in an unquoted field can mislead). Nothing trusts that
/// guess: chunk 0 starts at a true record boundary, and chunk k + 1 is kept only if chunk k, read from
/// a true boundary, ended exactly where chunk k + 1 starts; a chunk whose last record runs past its
/// end (a quoted field holding the line break) reports where that record started, and the next
/// chunk is read again from there. So a line break inside a quoted field can cost time, never a
/// wrong record.</para>
/// <para>Keys. Each chunk interns its user ids, repost ids, URLs and normalised texts by their bytes
/// in its own <see cref="Utf8KeyTable"/>; the chunks' tables are then merged into one per kind, in
/// chunk order. Message ids are hashed per row; sorting the hashes finds the rows that may repeat an
/// earlier id, and only those are compared, in input order, so that the first occurrence is kept.
/// Every match is confirmed on the bytes: a hash collision never merges two keys.</para>
/// <para>The hot loops are marked for full optimisation: each runs once per call, long, and would
/// otherwise start in the unoptimised first tier (measured: parsing took twice the CPU).</para>
/// </remarks>
internal static class ToolkitChunkedReader
{
    /// <summary>Reads <paramref name="data"/>[0..<paramref name="length"/>] in about
    /// <paramref name="chunkCount"/> chunks (0: chosen from the size and the cores), reporting the
    /// wall time of each phase to <paramref name="phases"/> if given.</summary>
    /// <exception cref="InvalidDataException">The header is not the toolkit's.</exception>
    public static ToolkitMessages Read(byte[] data, int length, int chunkCount = 0, ToolkitPhaseTimes? phases = null)
    {
        var clock = new PhaseClock(phases);
        var header = new Utf8CsvScanner(data, 0, length);
        if (!header.Read(out var unclosed))
        {
            if (unclosed)
            {
                throw new InvalidDataException("the toolkit CSV's header has a quoted field that is never closed");
            }
            return new ToolkitMessages();
        }
        var names = new string[header.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Encoding.UTF8.GetString(header.Field(i));
        }
        var map = CsvHeader.TryMap(names, ToolkitCsvSignalReader.Columns, out var problem)
            ?? throw new InvalidDataException($"is not the toolkit's CSV header: {problem}");
        var body = header.Position;
        if (chunkCount <= 0)
        {
            chunkCount = (int)Math.Clamp((length - body) / (4L << 20), 1, Environment.ProcessorCount * 8);
        }
        var starts = ChunkStarts(data, body, length, chunkCount);
        clock.Lap("split into chunks");
        var chunks = new Chunk[chunkCount];
        Parallel.For(0, chunkCount, c => chunks[c] = Chunk.Parse(data, starts[c], starts[c + 1], names.Length, map));
        for (var c = 0; c + 1 < chunkCount; c++)
        {
            var end = chunks[c].UnclosedAt;
            if (end >= 0 && end != starts[c + 1])
            {
                // Chunk c's last record holds a line break inside quotes: chunk c + 1 started inside it.
                chunks[c].UnclosedAt = -1;
                starts[c + 1] = end;
                chunks[c + 1] = Chunk.Parse(data, end, starts[c + 2], names.Length, map);
            }
        }
        clock.Lap("parse chunks");
        return Assemble(chunks, clock);
    }

    /// <summary>Chunk c is bytes [starts[c], starts[c + 1]); each start but the first just follows a
    /// line break that the quote count before it puts outside quotes.</summary>
    private static int[] ChunkStarts(byte[] data, int body, int length, int chunkCount)
    {
        var splits = new int[chunkCount + 1];
        for (var c = 0; c <= chunkCount; c++)
        {
            splits[c] = body + (int)((long)(length - body) * c / chunkCount);
        }
        var quotes = new long[chunkCount];
        Parallel.For(0, chunkCount, c => quotes[c] = data.AsSpan(splits[c], splits[c + 1] - splits[c]).Count((byte)'"'));
        var starts = new int[chunkCount + 1];
        starts[0] = body;
        starts[chunkCount] = length;
        long before = 0;
        for (var c = 1; c < chunkCount; c++)
        {
            before += quotes[c - 1];
            var p = splits[c];
            var inQuotes = (before & 1) == 1;
            while (p < length)
            {
                var i = data.AsSpan(p, length - p).IndexOfAny((byte)'"', (byte)'\n');
                if (i < 0)
                {
                    p = length;
                    break;
                }
                p += i + 1;
                if (data[p - 1] == '"')
                {
                    inQuotes = !inQuotes;
                }
                else if (!inQuotes)
                {
                    break;
                }
            }
            starts[c] = Math.Max(p, starts[c - 1]);
        }
        return starts;
    }

    /// <summary>Merges the chunks' keys, drops repeated message ids, and lays the rows out as one set of columns.</summary>
    private static ToolkitMessages Assemble(Chunk[] chunks, PhaseClock clock)
    {
        var duplicate = FindRepeatedIds(chunks);
        long duplicates = 0;
        foreach (var d in duplicate)
        {
            duplicates += d?.AsSpan().Count(true) ?? 0;
        }
        clock.Lap("find repeated message ids");
        var users = new Utf8KeyTable(1024);
        var reposts = new Utf8KeyTable(1024);
        var texts = new Utf8KeyTable(1024);
        var urls = new Utf8KeyTable(1024);
        var userMap = new int[chunks.Length][];
        var repostMap = new int[chunks.Length][];
        var textMap = new int[chunks.Length][];
        var urlMap = new int[chunks.Length][];
        Parallel.Invoke(
            () => Merge(chunks, c => c.Users, users, userMap, duplicate, c => c.User),
            () => Merge(chunks, c => c.Reposts, reposts, repostMap, null, null),
            () => Merge(chunks, c => c.Texts, texts, textMap, null, null),
            () => Merge(chunks, c => c.Urls, urls, urlMap, null, null));
        clock.Lap("merge keys");
        var rowAt = new int[chunks.Length + 1];
        var urlAt = new int[chunks.Length + 1];
        for (var c = 0; c < chunks.Length; c++)
        {
            var kept = chunks[c].Count - (duplicate[c]?.AsSpan().Count(true) ?? 0);
            rowAt[c + 1] = rowAt[c] + kept;
            urlAt[c + 1] = urlAt[c] + (duplicate[c] is null ? chunks[c].UrlCount : chunks[c].KeptUrlCount(duplicate[c]!));
        }
        var n = rowAt[^1];
        var columns = new ToolkitColumns(new int[n], new long[n], new int[n], new int[n], new int[n + 1], new int[urlAt[^1]], reposts.Count, texts.Count, urls.Count);
        Parallel.For(0, chunks.Length, c => chunks[c].CopyTo(columns, rowAt[c], urlAt[c], duplicate[c], userMap[c], repostMap[c], textMap[c], urlMap[c]));
        clock.Lap("lay out columns");
        var userNames = new string[users.Count];
        for (var u = 0; u < userNames.Length; u++)
        {
            userNames[u] = Encoding.UTF8.GetString(users.Key(u));
        }
        long rejected = 0;
        long records = 1;
        var errors = new List<string>();
        foreach (var chunk in chunks)
        {
            rejected += chunk.Errors.Count + chunk.MoreRejected;
            foreach (var (record, text) in chunk.Errors)
            {
                errors.Add($"record {records + record} {text}");
            }
            records += chunk.Records;
        }
        if (chunks[^1].UnclosedAt >= 0)
        {
            rejected++;
            errors.Add($"record {records + 1} has a quoted field that is never closed (a '\"' inside a quoted field must be doubled as '\"\"')");
        }
        var messages = ToolkitMessages.FromColumns(columns, userNames, rejected, duplicates, errors);
        clock.Lap("name users");
        return messages;
    }

    /// <summary>Marks every row whose message id came earlier in the input; null for a chunk with none.</summary>
    /// <remarks>Sorting the ids' hashes finds the few hashes held by more than one row, without a table
    /// of every id; only the rows with such a hash are then compared, on their bytes, in input order.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool[]?[] FindRepeatedIds(Chunk[] chunks)
    {
        var total = chunks.Sum(c => c.Count);
        var hashes = new ulong[total];
        var at = 0;
        foreach (var chunk in chunks)
        {
            chunk.IdHash.AsSpan(0, chunk.Count).CopyTo(hashes.AsSpan(at));
            at += chunk.Count;
        }
        // Ordering by the top 33 bits (three passes, not six) brings equal hashes together; within
        // each run of equal top bits, which is short, the whole hashes are compared.
        RadixSort.Sort(hashes, new ulong[total], 31, 64);
        var shared = new HashSet<ulong>();
        for (var i = 0; i < hashes.Length;)
        {
            var j = i + 1;
            while (j < hashes.Length && hashes[j] >> 31 == hashes[i] >> 31)
            {
                j++;
            }
            for (var a = i; a < j; a++)
            {
                for (var b = a + 1; b < j; b++)
                {
                    if (hashes[a] == hashes[b])
                    {
                        shared.Add(hashes[a]);
                    }
                }
            }
            i = j;
        }
        var duplicate = new bool[]?[chunks.Length];
        if (shared.Count == 0)
        {
            return duplicate;
        }
        var seen = new Utf8KeyTable(shared.Count * 2);
        for (var c = 0; c < chunks.Length; c++)
        {
            var chunk = chunks[c];
            for (var row = 0; row < chunk.Count; row++)
            {
                var hash = chunk.IdHash[row];
                if (shared.Contains(hash))
                {
                    seen.Intern(chunk.Id(row), hash, out var added);
                    if (!added)
                    {
                        (duplicate[c] ??= new bool[chunk.Count])[row] = true;
                    }
                }
            }
        }
        return duplicate;
    }

    /// <summary>Interns each chunk's keys into <paramref name="merged"/> in chunk order and records, per
    /// chunk, the merged number of each of its keys. With <paramref name="used"/>, only keys of rows
    /// kept are merged (so that a user seen only in repeated messages is not counted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Merge(Chunk[] chunks, Func<Chunk, Utf8KeyTable> table, Utf8KeyTable merged, int[][] maps,
        bool[]?[]? duplicate, Func<Chunk, int[]>? used)
    {
        for (var c = 0; c < chunks.Length; c++)
        {
            var local = table(chunks[c]);
            var map = new int[local.Count];
            bool[]? keep = null;
            if (duplicate?[c] is { } dup && used is not null)
            {
                keep = new bool[local.Count];
                var keys = used(chunks[c]);
                for (var row = 0; row < chunks[c].Count; row++)
                {
                    keep[keys[row]] |= !dup[row];
                }
            }
            for (var k = 0; k < map.Length; k++)
            {
                map[k] = keep is null || keep[k] ? merged.Intern(local.Key(k), local.HashOf(k), out _) : -1;
            }
            maps[c] = map;
        }
    }

    /// <summary>One chunk's rows, with key numbers local to the chunk.</summary>
    private sealed class Chunk
    {
        private const int KeptErrors = 20;

        private int[] _urlStart;
        private int[] _urlKeys = new int[1024];
        private byte[] _ids = new byte[1 << 14];
        private int[] _idStart;

        /// <summary>Creates a chunk with room for <paramref name="rows"/> rows, so that a good guess spares the copies of growing.</summary>
        private Chunk(int rows)
        {
            rows = Math.Max(16, rows);
            _urlStart = new int[rows + 1];
            _idStart = new int[rows + 1];
            User = new int[rows];
            Ticks = new long[rows];
            Repost = new int[rows];
            Text = new int[rows];
            IdHash = new ulong[rows];
        }
        private char[] _chars = new char[1024];
        private char[] _normalizedChars = new char[1024];
        private byte[] _normalized = new byte[1024];

        public Utf8KeyTable Users { get; } = new(1024);
        public Utf8KeyTable Reposts { get; } = new(1024);
        public Utf8KeyTable Texts { get; } = new(1024);
        public Utf8KeyTable Urls { get; } = new(1024);
        public int[] User { get; private set; }
        public long[] Ticks { get; private set; }
        public int[] Repost { get; private set; }
        public int[] Text { get; private set; }
        public ulong[] IdHash { get; private set; }
        public int Count { get; private set; }
        public int UrlCount => _urlStart[Count];

        /// <summary>Records scanned, rejected ones included.</summary>
        public long Records { get; private set; }

        /// <summary>The first rejections: (record number within the chunk, problem).</summary>
        public List<(long Record, string Problem)> Errors { get; } = [];

        /// <summary>Rejections beyond those in <see cref="Errors"/>.</summary>
        public long MoreRejected { get; private set; }

        /// <summary>Where a record cut by the chunk's end started, or -1 when the chunk ended on a record boundary.</summary>
        public int UnclosedAt { get; set; } = -1;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ReadOnlySpan<byte> Id(int row) => _ids.AsSpan(_idStart[row], _idStart[row + 1] - _idStart[row]);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Chunk Parse(byte[] data, int start, int end, int fieldCount, int[] map)
        {
            // Rows of the toolkit's CSV take about a hundred bytes or more.
            var chunk = new Chunk((end - start) / 96);
            var csv = new Utf8CsvScanner(data, start, end);
            while (csv.Read(out var unclosed))
            {
                if (csv.FieldCount != fieldCount)
                {
                    chunk.Reject(csv.RecordNumber, $"has {csv.FieldCount} fields, expected {fieldCount}");
                    continue;
                }
                chunk.Add(csv, map);
            }
            chunk.Records = csv.RecordNumber;
            chunk.UnclosedAt = csv.UnclosedAt;
            return chunk;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Add(Utf8CsvScanner csv, int[] map)
        {
            // Column order as in ToolkitCsvSignalReader.Columns; the checks in the order of ToolkitMessages.Read.
            if (!ToolkitMessages.TryParseTicks(csv.Field(map[6]), out var ticks))
            {
                Reject(csv.RecordNumber, $"timestamp is not Unix seconds or ISO 8601 with an offset (got {SignalFieldRules.Quote(Encoding.UTF8.GetString(csv.Field(map[6])))})");
                return;
            }
            var row = Grow();
            var id = csv.Field(map[0]);
            IdHash[row] = Utf8KeyTable.Hash(id);
            var idAt = _idStart[row];
            if (idAt + id.Length > _ids.Length)
            {
                Array.Resize(ref _ids, Math.Max(_ids.Length * 2, idAt + id.Length));
            }
            id.CopyTo(_ids.AsSpan(idAt));
            _idStart[row + 1] = idAt + id.Length;
            User[row] = Users.Intern(csv.Field(map[1]));
            Ticks[row] = ticks;
            var repost = csv.Field(map[3]);
            if (repost.Length > 0)
            {
                Repost[row] = Reposts.Intern(repost);
                Text[row] = -1;
                _urlStart[row + 1] = _urlStart[row];
                return;
            }
            Repost[row] = -1;
            Text[row] = InternText(csv.Field(map[5]));
            AddUrls(row, csv.Field(map[7]));
        }

        private int Grow()
        {
            var row = Count;
            if (row == User.Length)
            {
                var size = row * 2;
                var user = User;
                var ticks = Ticks;
                var repost = Repost;
                var text = Text;
                var hash = IdHash;
                Array.Resize(ref user, size);
                Array.Resize(ref ticks, size);
                Array.Resize(ref repost, size);
                Array.Resize(ref text, size);
                Array.Resize(ref hash, size);
                Array.Resize(ref _urlStart, size + 1);
                Array.Resize(ref _idStart, size + 1);
                (User, Ticks, Repost, Text, IdHash) = (user, ticks, repost, text, hash);
            }
            Count++;
            return row;
        }

        /// <summary>The number of the message's normalised text, or -1 when nothing is left of it. The key
        /// is the normalised text in UTF-8, whichever way it was computed.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int InternText(ReadOnlySpan<byte> message)
        {
            if (_normalized.Length < message.Length * 3)
            {
                _normalized = new byte[Math.Max(message.Length * 3, _normalized.Length * 2)];
                _chars = new char[_normalized.Length];
                _normalizedChars = new char[_normalized.Length];
            }
            int length;
            if (System.Text.Ascii.IsValid(message))
            {
                length = AsciiTextNormalizer.Normalize(message, _normalized);
            }
            else
            {
                var chars = _chars.AsSpan(0, Encoding.UTF8.GetChars(message, _chars));
                var n = CoActivity.TextNormalizer.Normalize(chars, _normalizedChars);
                // Decoded text holds no lone surrogate, so its UTF-8 form is one-to-one.
                length = Encoding.UTF8.GetBytes(_normalizedChars.AsSpan(0, n), _normalized);
            }
            return length == 0 ? -1 : Texts.Intern(_normalized.AsSpan(0, length));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AddUrls(int row, ReadOnlySpan<byte> urls)
        {
            // The separators are ASCII, which never occurs inside a multi-byte UTF-8 sequence, so
            // splitting the bytes splits the text as ToolkitMessages splits it.
            var first = _urlStart[row];
            var next = first;
            while (urls.Length > 0)
            {
                var cut = urls.IndexOfAny(" \t\r\n"u8);
                var url = cut < 0 ? urls : urls[..cut];
                urls = cut < 0 ? default : urls[(cut + 1)..];
                if (url.Length == 0)
                {
                    continue;
                }
                next = ToolkitMessages.AppendUrl(ref _urlKeys, first, next, Urls.Intern(url));
            }
            _urlStart[row + 1] = next;
        }

        private void Reject(long record, string problem)
        {
            if (Errors.Count < KeptErrors)
            {
                Errors.Add((record, problem));
            }
            else
            {
                MoreRejected++;
            }
        }

        public int KeptUrlCount(bool[] duplicate)
        {
            var n = 0;
            for (var row = 0; row < Count; row++)
            {
                n += duplicate[row] ? 0 : _urlStart[row + 1] - _urlStart[row];
            }
            return n;
        }

        /// <summary>Writes the kept rows from row <paramref name="rowAt"/> and URL key <paramref name="urlAt"/>
        /// of <paramref name="columns"/>, with every key number mapped to its merged number.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void CopyTo(ToolkitColumns columns, int rowAt, int urlAt, bool[]? duplicate,
            int[] userMap, int[] repostMap, int[] textMap, int[] urlMap)
        {
            var to = rowAt;
            var u = urlAt;
            for (var row = 0; row < Count; row++)
            {
                if (duplicate is not null && duplicate[row])
                {
                    continue;
                }
                columns.User[to] = userMap[User[row]];
                columns.Ticks[to] = Ticks[row];
                columns.Repost[to] = Repost[row] < 0 ? -1 : repostMap[Repost[row]];
                columns.Text[to] = Text[row] < 0 ? -1 : textMap[Text[row]];
                columns.UrlStart[to] = u;
                for (var k = _urlStart[row]; k < _urlStart[row + 1]; k++)
                {
                    columns.UrlKeys[u++] = urlMap[_urlKeys[k]];
                }
                to++;
            }
            if (to == columns.User.Length)
            {
                columns.UrlStart[to] = u;
            }
        }
    }
}
