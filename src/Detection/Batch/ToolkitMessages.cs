using System.IO.Compression;
using System.Text;
using Cib.Detection.Formats;

namespace Cib.Detection.Batch;

/// <summary>
/// The messages of a coordination network toolkit CSV in the compact form
/// <see cref="ToolkitNetworks"/> works on: users and match keys interned to ints, times in ticks,
/// one flat array per column. A million messages take about 30 MB plus their distinct strings.
/// </summary>
/// <remarks>
/// What is kept of each row is what the toolkit's three networks look at: <c>user_id</c>, the time,
/// and the match keys: <c>repost_id</c> when non-empty; otherwise the message text normalised as
/// <see cref="CoActivity.TextNormalizer"/> does (an empty result is no key: no text is not a shared
/// text) and the distinct non-empty URLs of <c>urls</c>, split on whitespace and compared as written.
/// Rows repeating an earlier <c>message_id</c> are dropped, as the toolkit deduplicates on it.
/// </remarks>
public sealed class ToolkitMessages
{
    private const int MaxReportedErrors = 20;

    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reposts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _urls = new(StringComparer.Ordinal);
    private readonly HashSet<long> _numericIds = [];
    private readonly HashSet<string> _otherIds = new(StringComparer.Ordinal);
    private readonly List<string> _userNames = [];
    private readonly List<string> _errors = [];
    private int[] _user = new int[1024];
    private long[] _ticks = new long[1024];
    private int[] _repost = new int[1024];
    private int[] _text = new int[1024];
    private int[] _urlStart = new int[1025];
    private int[] _urlKeys = new int[1024];
    private char[] _chars = new char[1024];
    private char[] _normalized = new char[1024];

    /// <summary>Messages held.</summary>
    public int Count { get; private set; }

    /// <summary>Distinct users.</summary>
    public int UserCount => _userNames.Count;

    /// <summary>Data rows that were not kept because they were malformed.</summary>
    public long Rejected { get; private set; }

    /// <summary>Data rows dropped because their <c>message_id</c> came earlier.</summary>
    public long Duplicates { get; private set; }

    /// <summary>The first problems found, each naming its record; at most 20.</summary>
    public IReadOnlyList<string> Errors => _errors;

    internal ReadOnlySpan<int> User => _user.AsSpan(0, Count);
    internal ReadOnlySpan<long> Ticks => _ticks.AsSpan(0, Count);
    internal ReadOnlySpan<int> Repost => _repost.AsSpan(0, Count);
    internal ReadOnlySpan<int> Text => _text.AsSpan(0, Count);
    internal ReadOnlySpan<int> UrlStart => _urlStart.AsSpan(0, Count + 1);
    internal ReadOnlySpan<int> UrlKeys => _urlKeys.AsSpan(0, _urlStart[Count]);
    internal int RepostKeyCount => _keyCounts?.Reposts ?? _reposts.Count;
    internal int TextKeyCount => _keyCounts?.Texts ?? _texts.Count;
    internal int UrlKeyCount => _keyCounts?.Urls ?? _urls.Count;

    /// <summary>Set when the messages were read in chunks (<see cref="ToolkitChunkedReader"/>), which
    /// interns keys by their bytes and keeps only how many there are.</summary>
    private (int Reposts, int Texts, int Urls)? _keyCounts;

    /// <summary>Messages assembled from columns read in chunks; every key number is below its count.</summary>
    internal static ToolkitMessages FromColumns(ToolkitColumns columns, IReadOnlyList<string> userNames, long rejected, long duplicates, IEnumerable<string> errors)
    {
        var m = new ToolkitMessages
        {
            _user = columns.User,
            _ticks = columns.Ticks,
            _repost = columns.Repost,
            _text = columns.Text,
            _urlStart = columns.UrlStart,
            _urlKeys = columns.UrlKeys,
            _keyCounts = (columns.RepostKeys, columns.TextKeys, columns.UrlKeyCount),
            Count = columns.User.Length,
            Rejected = rejected,
            Duplicates = duplicates,
        };
        m._userNames.AddRange(userNames);
        foreach (var e in errors.Take(MaxReportedErrors))
        {
            m._errors.Add(e);
        }
        return m;
    }

    /// <summary>The user id of interned user <paramref name="user"/>.</summary>
    internal string UserName(int user) => _userNames[user];

    private UserOrder? _order;

    /// <summary>The users in ordinal order of their ids, computed once and kept until a message is added:
    /// networks count pairs of ranks so that their edges come out in the order they are written.</summary>
    internal UserOrder UsersInOrder()
    {
        if (_order is { } order && order.Names.Length == UserCount)
        {
            return order;
        }
        var names = _userNames.ToArray();
        var users = new int[names.Length];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = i;
        }
        Array.Sort(names, users, StringComparer.Ordinal);
        var rank = new int[names.Length];
        for (var r = 0; r < users.Length; r++)
        {
            rank[users[r]] = r;
        }
        return _order = new UserOrder(rank, names);
    }

    /// <summary>Reads a toolkit CSV file, gzip-compressed or not (recognised by its magic bytes). A file
    /// whose text fits one array (2 GB) is read whole and parsed in parallel chunks; a larger one as a
    /// stream, on one thread. Both give the same messages.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is not the toolkit's.</exception>
    public static ToolkitMessages ReadFile(string path) => ReadFile(path, null);

    /// <summary>Reads a toolkit CSV file as <see cref="ReadFile(string)"/> does, recording the wall time
    /// of each phase in <paramref name="phases"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is not the toolkit's.</exception>
    public static ToolkitMessages ReadFile(string path, ToolkitPhaseTimes? phases)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Toolkit CSV \"{path}\" does not exist.", path);
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        var gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        file.Position = 0;
        if (!gzip)
        {
            // A file that fits one array is read whole and parsed in parallel chunks; a larger one as a stream.
            if (file.Length > Array.MaxLength)
            {
                return Read(file);
            }
            var clock = new PhaseClock(phases);
            var data = GC.AllocateUninitializedArray<byte>((int)file.Length);
            file.ReadExactly(data);
            clock.Lap("read file");
            return ToolkitChunkedReader.Read(data, data.Length, 0, phases);
        }
        var inflating = new PhaseClock(phases);
        using var inflated = new GZipStream(file, CompressionMode.Decompress);
        var text = new MemoryStream((int)Math.Min(Array.MaxLength, file.Length * 4));
        try
        {
            inflated.CopyTo(text);
        }
        catch (IOException) when (text.Length >= int.MaxValue / 2)
        {
            // Too large to hold in one array: stream it instead.
            text = null;
        }
        if (text is null)
        {
            file.Position = 0;
            using var again = new GZipStream(file, CompressionMode.Decompress);
            return Read(again);
        }
        inflating.Lap("read and decompress file");
        return ToolkitChunkedReader.Read(text.GetBuffer(), (int)text.Length, 0, phases);
    }

    /// <summary>Reads a toolkit CSV (UTF-8) held in memory, in parallel chunks.</summary>
    /// <exception cref="InvalidDataException">The header is not the toolkit's.</exception>
    public static ToolkitMessages Read(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ToolkitChunkedReader.Read(data, data.Length);
    }

    /// <summary>Reads a toolkit CSV (UTF-8) from <paramref name="stream"/>, which is not disposed.</summary>
    /// <exception cref="InvalidDataException">The header is not the toolkit's.</exception>
    public static ToolkitMessages Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var messages = new ToolkitMessages();
        var csv = new Utf8CsvScanner(stream);
        if (!csv.Read(out var unclosed))
        {
            if (unclosed)
            {
                throw new InvalidDataException("the toolkit CSV's header has a quoted field that is never closed");
            }
            return messages;
        }
        var header = new string[csv.FieldCount];
        for (var i = 0; i < header.Length; i++)
        {
            header[i] = Encoding.UTF8.GetString(csv.Field(i));
        }
        var map = CsvHeader.TryMap(header, ToolkitCsvSignalReader.Columns, out var problem)
            ?? throw new InvalidDataException($"is not the toolkit's CSV header: {problem}");
        while (csv.Read(out unclosed))
        {
            if (csv.FieldCount != header.Length)
            {
                messages.Reject(csv.RecordNumber, $"has {csv.FieldCount} fields, expected {header.Length}");
                continue;
            }
            messages.Add(csv, map);
        }
        if (unclosed)
        {
            messages.Reject(csv.RecordNumber + 1, "has a quoted field that is never closed (a '\"' inside a quoted field must be doubled as '\"\"')");
        }
        return messages;
    }

    /// <summary>Adds one message. For building inputs in code; files go through <see cref="ReadFile(string)"/>.</summary>
    /// <param name="messageId">The message id; a repeated id is ignored, as the toolkit ignores it.</param>
    /// <param name="userId">The user id.</param>
    /// <param name="repostId">The id of the reposted message, or empty for an original.</param>
    /// <param name="message">The text.</param>
    /// <param name="unixSeconds">The time in Unix seconds, fractions allowed.</param>
    /// <param name="urls">URLs separated by whitespace.</param>
    /// <exception cref="InvalidOperationException">The messages were read from a file or bytes, in chunks.</exception>
    public void Add(string messageId, string userId, string repostId, string message, double unixSeconds, string urls = "")
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(userId);
        if (_keyCounts is not null)
        {
            throw new InvalidOperationException("messages read from a file are complete; build inputs in code on a new ToolkitMessages");
        }
        if (!IsNewMessageId(messageId))
        {
            Duplicates++;
            return;
        }
        AddCore(userId, repostId ?? "", message ?? "", (long)Math.Round(unixSeconds * TimeSpan.TicksPerSecond), urls ?? "");
    }

    private void Add(Utf8CsvScanner csv, int[] map)
    {
        // Column order as in ToolkitCsvSignalReader.Columns.
        var id = csv.Field(map[0]);
        if (!TryParseTicks(csv.Field(map[6]), out var ticks))
        {
            Reject(csv.RecordNumber, $"timestamp is not Unix seconds or ISO 8601 with an offset (got {SignalFieldRules.Quote(Encoding.UTF8.GetString(csv.Field(map[6])))})");
            return;
        }
        if (!IsNewMessageId(id))
        {
            Duplicates++;
            return;
        }
        var row = Grow();
        _user[row] = Intern(_users, csv.Field(map[1]), _userNames);
        _ticks[row] = ticks;
        var repost = csv.Field(map[3]);
        if (repost.Length > 0)
        {
            _repost[row] = Intern(_reposts, repost, null);
            _text[row] = -1;
            _urlStart[row + 1] = _urlStart[row];
            return;
        }
        _repost[row] = -1;
        _text[row] = InternText(Decode(csv.Field(map[5])));
        AddUrls(row, Decode(csv.Field(map[7])));
    }

    private void AddCore(string userId, string repostId, string message, long ticks, string urls)
    {
        var row = Grow();
        _user[row] = Intern(_users, Encoding.UTF8.GetBytes(userId), _userNames);
        _ticks[row] = ticks;
        if (repostId.Length > 0)
        {
            _repost[row] = Intern(_reposts, Encoding.UTF8.GetBytes(repostId), null);
            _text[row] = -1;
            _urlStart[row + 1] = _urlStart[row];
            return;
        }
        _repost[row] = -1;
        _text[row] = InternText(message);
        AddUrls(row, urls);
    }

    private int Grow()
    {
        var row = Count;
        if (row == _user.Length)
        {
            var size = row * 2;
            Array.Resize(ref _user, size);
            Array.Resize(ref _ticks, size);
            Array.Resize(ref _repost, size);
            Array.Resize(ref _text, size);
            Array.Resize(ref _urlStart, size + 1);
        }
        Count++;
        return row;
    }

    private void AddUrls(int row, ReadOnlySpan<char> urls)
    {
        var first = _urlStart[row];
        var next = first;
        foreach (var range in urls.SplitAny(" \t\r\n"))
        {
            var url = urls[range];
            if (url.Length == 0)
            {
                continue;
            }
            next = AppendUrl(ref _urlKeys, first, next, InternChars(_urls, url));
        }
        _urlStart[row + 1] = next;
    }

    /// <summary>Appends URL key <paramref name="key"/> to the message's keys <c>keys[first..next]</c>
    /// unless already there, and returns the new end.</summary>
    internal static int AppendUrl(ref int[] keys, int first, int next, int key)
    {
        // A URL written twice in one message is one match, not two: the weight counts messages.
        if (keys.AsSpan(first, next - first).Contains(key))
        {
            return next;
        }
        if (next == keys.Length)
        {
            Array.Resize(ref keys, next * 2);
        }
        keys[next] = key;
        return next + 1;
    }

    private int InternText(ReadOnlySpan<char> message)
    {
        if (_normalized.Length < message.Length)
        {
            _normalized = new char[Math.Max(message.Length, _normalized.Length * 2)];
        }
        var length = CoActivity.TextNormalizer.Normalize(message, _normalized);
        return length == 0 ? -1 : InternChars(_texts, _normalized.AsSpan(0, length));
    }

    private bool IsNewMessageId(ReadOnlySpan<byte> id)
    {
        // Numeric ids, by far the most common, are kept as longs; "007" is not "7", so a leading
        // zero sends an id to the string set.
        if (id.Length is > 0 and <= 18 && (id[0] != '0' || id.Length == 1))
        {
            long value = 0;
            var numeric = true;
            foreach (var b in id)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    numeric = false;
                    break;
                }
                value = (value * 10) + (b - '0');
            }
            if (numeric)
            {
                return _numericIds.Add(value);
            }
        }
        return _otherIds.Add(Encoding.UTF8.GetString(id));
    }

    private bool IsNewMessageId(string id) => IsNewMessageId(Encoding.UTF8.GetBytes(id));

    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> bytes)
    {
        if (_chars.Length < bytes.Length)
        {
            _chars = new char[Math.Max(bytes.Length, _chars.Length * 2)];
        }
        var n = Encoding.UTF8.GetChars(bytes, _chars);
        return _chars.AsSpan(0, n);
    }

    private int Intern(Dictionary<string, int> table, ReadOnlySpan<byte> bytes, List<string>? names)
    {
        var chars = Decode(bytes);
        var lookup = table.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var index))
        {
            return index;
        }
        var name = chars.ToString();
        index = table.Count;
        table.Add(name, index);
        names?.Add(name);
        return index;
    }

    private static int InternChars(Dictionary<string, int> table, ReadOnlySpan<char> chars)
    {
        var lookup = table.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var index))
        {
            return index;
        }
        index = table.Count;
        table.Add(chars.ToString(), index);
        return index;
    }

    private void Reject(long record, string problem)
    {
        Rejected++;
        if (_errors.Count < MaxReportedErrors)
        {
            _errors.Add($"record {record} {problem}");
        }
    }

    /// <summary>Parses Unix seconds (<c>1700000000</c>, <c>260.5</c>) straight from the bytes, exactly
    /// to the tick; anything else (more than 7 decimals, ISO 8601) goes through the shared parser.</summary>
    internal static bool TryParseTicks(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        var negative = s.Length > 0 && s[0] == '-';
        var i = negative ? 1 : 0;
        long whole = 0;
        var digits = 0;
        while (i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9' && digits < 11)
        {
            whole = (whole * 10) + (s[i++] - '0');
            digits++;
        }
        long fraction = 0;
        var scale = TimeSpan.TicksPerSecond;
        if (digits > 0 && i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9' && scale > 1)
            {
                scale /= 10;
                fraction += (s[i++] - '0') * scale;
            }
        }
        if (digits > 0 && i == s.Length)
        {
            ticks = (whole * TimeSpan.TicksPerSecond) + fraction;
            ticks = negative ? -ticks : ticks;
            return true;
        }
        Span<char> chars = stackalloc char[Math.Min(s.Length, 128)];
        if (s.Length > chars.Length || Encoding.UTF8.GetChars(s, chars) is var n && !Timestamps.TryParseSecondsOrIso(chars[..n], out var utc))
        {
            return false;
        }
        ticks = utc.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return true;
    }
}

/// <summary>Users ranked by the ordinal order of their ids: <c>Names[Rank[user]]</c> is the user's id.</summary>
internal sealed record UserOrder(int[] Rank, string[] Names);

/// <summary>The columns of <see cref="ToolkitMessages"/>, one entry per message (URLs: <c>UrlKeys[UrlStart[i]..UrlStart[i + 1]]</c>).</summary>
internal sealed record ToolkitColumns(int[] User, long[] Ticks, int[] Repost, int[] Text, int[] UrlStart, int[] UrlKeys, int RepostKeys, int TextKeys, int UrlKeyCount);
