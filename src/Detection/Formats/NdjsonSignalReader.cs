using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cib.Detection.Signals;

namespace Cib.Detection.Formats;

/// <summary>
/// Reads signals from NDJSON: one JSON object per line, blank lines ignored. Fields:
/// <c>id</c>, <c>account</c>, <c>kind</c>, <c>target</c>, <c>timestamp</c> (required) and
/// <c>text</c>, <c>fingerprint</c>, <c>account_created_at</c>, <c>handle</c>, <c>display_name</c>,
/// <c>account_followers</c>, <c>account_following</c>, <c>account_posts</c> (optional; null counts as
/// absent; any profile field present makes a profile). The three counts are JSON integers from 0 to
/// <see cref="SignalFieldRules.MaxCount"/>. Timestamps are ISO 8601 strings with an offset or JSON numbers
/// of Unix milliseconds, years 2000-2100. Unknown fields are errors, so a misspelt optional field
/// is reported instead of silently dropped. A bad line yields an error and reading goes on.
/// Bounds: <c>id</c> and <c>account</c> at most 256 characters, <c>target</c> 8,192, <c>text</c>
/// 10,000, <c>fingerprint</c>, <c>handle</c> and <c>display_name</c> 256; only <c>text</c> may
/// hold control characters. An error names the field at fault whenever one is (a value of the
/// wrong type, nested too deep, or holding invalid UTF-8), and the whole record otherwise.
/// </summary>
public static class NdjsonSignalReader
{
    /// <summary>Longest line read, in bytes; a longer line is reported and skipped, so one runaway
    /// line cannot exhaust memory. A maximal valid signal (10,000 characters of text, all escaped)
    /// is well under it.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>The field names, in the order the writer emits them.</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
        ["id", "account", "kind", "target", "timestamp", "text", "fingerprint", "account_created_at", "handle", "display_name",
         "account_followers", "account_following", "account_posts"];

    private static readonly string AllowedFields = string.Join(", ", FieldNames);

    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        // A signal is flat; depth 2 is enough to skip one wrongly nested value and report it.
        MaxDepth = 4,
    };

    // Field indexes double as bit positions in the "seen" mask.
    private const int Id = 0, Account = 1, Kind = 2, Target = 3, Timestamp = 4, Text = 5, Fingerprint = 6,
        AccountCreatedAt = 7, Handle = 8, DisplayName = 9, Followers = 10, Following = 11, Posts = 12;

    /// <summary>
    /// Reads every line of <paramref name="reader"/>. Prefer <see cref="Read(Stream)"/> for files
    /// and request bodies: it parses the UTF-8 bytes without building a string per line.
    /// </summary>
    public static IEnumerable<SignalReadResult> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadLines(reader);
    }

    /// <summary>Reads every line of a UTF-8 stream (a leading byte order mark is skipped).</summary>
    public static IEnumerable<SignalReadResult> Read(Stream utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        return ReadStream(utf8);
    }

    /// <summary>
    /// Parses one line (UTF-8, without its line break). <paramref name="position"/> is the line
    /// number reported in an error. A blank line is an error here; the readers skip blank lines
    /// before calling this.
    /// </summary>
    public static SignalReadResult ParseLine(ReadOnlySpan<byte> utf8Line, long position)
    {
        var fields = new Fields();
        try
        {
            var reader = new Utf8JsonReader(utf8Line, Options);
            if (!reader.Read())
            {
                return SignalReadResult.Fail(position, null, SignalError.WholeRecord, "is empty; expected a JSON object");
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return SignalReadResult.Fail(position, null, SignalError.WholeRecord,
                    $"is not a JSON object (got {Describe(ref reader)})");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Identify(ref reader);
                if (field < 0)
                {
                    var unknown = reader.GetString()!;
                    fields.Reading = unknown;
                    fields.Fail(unknown, $"is not a signal field (allowed: {AllowedFields}); check its spelling");
                    reader.Read();
                    reader.Skip();
                    fields.Reading = null;
                    continue;
                }
                var duplicate = (fields.Seen & (1 << field)) != 0;
                fields.Seen |= 1 << field;
                fields.Reading = FieldNames[field];
                reader.Read();
                if (duplicate)
                {
                    fields.Fail(FieldNames[field], "appears more than once");
                    reader.Skip();
                }
                else
                {
                    ReadValue(ref reader, field, ref fields);
                }
                fields.Reading = null;
            }
            // The reader throws on anything after the object other than whitespace, so reaching
            // here means the line held exactly one complete object.
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            // A value nested past MaxDepth lands here while being skipped after its field was
            // already found to have the wrong type: that finding is the useful message.
            return fields.FailedOnReading(position)
                ?? SignalReadResult.Fail(position, fields.Id, fields.Reading ?? SignalError.WholeRecord, $"is not valid JSON ({Summarise(e)})");
        }
        catch (InvalidOperationException e)
        {
            // GetString throws this for invalid UTF-8 or lone surrogates inside a string.
            return SignalReadResult.Fail(position, fields.Id, fields.Reading ?? SignalError.WholeRecord, $"is not valid JSON text ({e.Message})");
        }
        return fields.ToResult(position);
    }

    /// <summary>Parses one line given as text.</summary>
    public static SignalReadResult ParseLine(string line, long position)
    {
        ArgumentNullException.ThrowIfNull(line);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(line.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(line, rented);
            return ParseLine(rented.AsSpan(0, length), position);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static IEnumerable<SignalReadResult> ReadLines(TextReader reader)
    {
        long position = 0;
        while (reader.ReadLine() is { } line)
        {
            position++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            if (line.Length > MaxLineBytes)
            {
                yield return TooLong(position);
                continue;
            }
            yield return ParseLine(line, position);
        }
    }

    private static IEnumerable<SignalReadResult> ReadStream(Stream stream)
    {
        using var lines = new Utf8LineSplitter(stream);
        long position = 0;
        while (lines.TryReadLine(out var offset, out var length, out var tooLong))
        {
            position++;
            if (lines.Failure is not null)
            {
                break;
            }
            if (tooLong)
            {
                yield return TooLong(position);
                continue;
            }
            if (ParseBufferedLine(lines.Buffer, offset, length, position) is { } result)
            {
                yield return result;
            }
        }
        if (lines.Failure is { } failure)
        {
            // The line the stream broke off in was counted when it was returned; when the break
            // fell between lines, none was.
            var at = lines.BrokeOffInLine ? position : position + 1;
            yield return SignalReadResult.Fail(at, null, SignalError.WholeRecord,
                $"cannot be read: the input breaks off here ({failure}); the lines before it were read");
        }
    }

    /// <summary>Parses a line held in the splitter's buffer; null for a blank line. Kept out of the
    /// iterator because a span cannot live across a yield.</summary>
    private static SignalReadResult? ParseBufferedLine(byte[] buffer, int offset, int length, long position)
    {
        var line = buffer.AsSpan(offset, length);
        if (position == 1 && line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }
        line = line.TrimEnd("\r"u8);
        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            return null;
        }
        return ParseLine(line, position);
    }

    private static SignalReadResult TooLong(long position) =>
        SignalReadResult.Fail(position, null, SignalError.WholeRecord, $"is longer than {MaxLineBytes} bytes; skipped");

    private static int Identify(ref Utf8JsonReader reader)
    {
        // Compared on the UTF-8 bytes: no string is built for a known field name.
        if (reader.ValueTextEquals("id"u8)) return Id;
        if (reader.ValueTextEquals("account"u8)) return Account;
        if (reader.ValueTextEquals("kind"u8)) return Kind;
        if (reader.ValueTextEquals("target"u8)) return Target;
        if (reader.ValueTextEquals("timestamp"u8)) return Timestamp;
        if (reader.ValueTextEquals("text"u8)) return Text;
        if (reader.ValueTextEquals("fingerprint"u8)) return Fingerprint;
        if (reader.ValueTextEquals("account_created_at"u8)) return AccountCreatedAt;
        if (reader.ValueTextEquals("handle"u8)) return Handle;
        if (reader.ValueTextEquals("display_name"u8)) return DisplayName;
        if (reader.ValueTextEquals("account_followers"u8)) return Followers;
        if (reader.ValueTextEquals("account_following"u8)) return Following;
        if (reader.ValueTextEquals("account_posts"u8)) return Posts;
        return -1;
    }

    private static void ReadValue(ref Utf8JsonReader reader, int field, ref Fields fields)
    {
        var name = FieldNames[field];
        var optional = field >= Text;
        if (optional && reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        if (field is Timestamp or AccountCreatedAt)
        {
            if (ReadTimestamp(ref reader, name, ref fields) is { } t)
            {
                if (field == Timestamp)
                {
                    fields.Timestamp = t;
                }
                else
                {
                    fields.AccountCreatedAt = t;
                }
            }
            return;
        }
        if (field is Followers or Following or Posts)
        {
            // Null when the value is refused, which the error already reports.
            var count = ReadCount(ref reader, name, ref fields);
            switch (field)
            {
                case Followers: fields.Followers = count; break;
                case Following: fields.Following = count; break;
                default: fields.Posts = count; break;
            }
            return;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            fields.Fail(name, $"must be a string (got {Describe(ref reader)})");
            reader.Skip();
            return;
        }
        if (field == Kind)
        {
            if (TryReadKind(ref reader, out var kind))
            {
                fields.Kind = kind;
            }
            else
            {
                fields.Fail(name, $"must be one of {SignalKinds.AllNames} (got {SignalFieldRules.Quote(reader.GetString())})");
            }
            return;
        }
        var value = reader.GetString()!;
        switch (field)
        {
            case Id:
                if (SignalFieldRules.CheckIdentifier(value) is { } idProblem)
                {
                    fields.Fail(name, idProblem);
                }
                else
                {
                    fields.Id = value;
                }
                break;
            case Account:
            case Target:
                if (SignalFieldRules.CheckIdentifier(value, field == Account ? SignalFieldRules.MaxIdLength : SignalFieldRules.MaxTargetLength) is { } problem)
                {
                    fields.Fail(name, problem);
                }
                else if (field == Account)
                {
                    fields.Account = value;
                }
                else
                {
                    fields.Target = value;
                }
                break;
            case Text:
                if (SignalFieldRules.CheckText(value) is { } textProblem)
                {
                    fields.Fail(name, textProblem);
                }
                else
                {
                    fields.Text = value;
                }
                break;
            case Fingerprint or Handle or DisplayName:
                if (SignalFieldRules.CheckLabel(value) is { } labelProblem)
                {
                    fields.Fail(name, labelProblem);
                }
                else if (field == Fingerprint)
                {
                    fields.Fingerprint = value;
                }
                else if (field == Handle)
                {
                    fields.Handle = value;
                }
                else
                {
                    fields.DisplayName = value;
                }
                break;
        }
    }

    private static bool TryReadKind(ref Utf8JsonReader reader, out SignalKind kind)
    {
        // Exact wire names match on the bytes; anything else (say "Repost") takes the
        // case-insensitive path, which allocates but is rare.
        foreach (var candidate in Enum.GetValues<SignalKind>())
        {
            if (reader.ValueTextEquals(candidate.ToWire()))
            {
                kind = candidate;
                return true;
            }
        }
        return SignalKinds.TryParse(reader.GetString(), out kind);
    }

    private static long? ReadCount(ref Utf8JsonReader reader, string name, ref Fields fields)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count) && SignalFieldRules.IsCount(count))
        {
            return count;
        }
        var hint = reader.TokenType == JsonTokenType.String ? "; send it as a JSON number, not a string" : "";
        fields.Fail(name, $"{SignalFieldRules.CountRule} (got {Describe(ref reader)}){hint}");
        reader.Skip();
        return null;
    }

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, string name, ref Fields fields)
    {
        DateTimeOffset t;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                bool parsed;
                if (reader.TryGetInt64(out var ms))
                {
                    parsed = Timestamps.TryFromUnixMilliseconds(ms, out t);
                }
                else
                {
                    // TryGetDouble is false beyond double's range (1e400), where GetDouble would throw.
                    t = default;
                    parsed = reader.TryGetDouble(out var fractional) && Timestamps.TryFromUnixMilliseconds(fractional, out t);
                }
                if (!parsed)
                {
                    fields.Fail(name, $"is not a valid Unix time in milliseconds (got {Describe(ref reader)})");
                    return null;
                }
                break;
            case JsonTokenType.String:
                if (!TryParseIsoToken(ref reader, out t))
                {
                    var text = reader.GetString()!;
                    var hint = text.Length > 0 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
                        ? "; Unix milliseconds must be a JSON number, not a string"
                        : "; ISO 8601 needs a date, a time and an offset, as in 2024-05-01T12:00:00Z";
                    fields.Fail(name, $"is not ISO 8601 or Unix milliseconds (got {SignalFieldRules.Quote(text)}){hint}");
                    return null;
                }
                break;
            default:
                fields.Fail(name, $"must be an ISO 8601 string or a number of Unix milliseconds (got {Describe(ref reader)})");
                reader.Skip();
                return null;
        }
        if (!Timestamps.IsPlausible(t))
        {
            var hint = reader.TokenType == JsonTokenType.Number && t.Year == 1970 ? "; was it sent in seconds instead of milliseconds?" : "";
            fields.Fail(name, $"is outside the years 2000-2100 (got {Describe(ref reader)}, which is {Timestamps.FormatIso(t)}){hint}");
            return null;
        }
        return t;
    }

    private static bool TryParseIsoToken(ref Utf8JsonReader reader, out DateTimeOffset t)
    {
        // Timestamps are short ASCII; widening the raw bytes onto the stack avoids a string.
        const int MaxInline = 64;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= MaxInline)
        {
            var raw = reader.ValueSpan;
            Span<char> chars = stackalloc char[MaxInline];
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] > 0x7F)
                {
                    t = default;
                    return false;
                }
                chars[i] = (char)raw[i];
            }
            return Timestamps.TryParseIso(chars[..raw.Length], out t);
        }
        return Timestamps.TryParseIso(reader.GetString(), out t);
    }

    private const int MaxNumberShown = 40;

    /// <summary>A token as error messages show it: a quoted string, the number's text, or its kind.</summary>
    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => SignalFieldRules.Quote(reader.GetString()),
        // A number token can be as long as the line; an error message repeats only its start.
        JsonTokenType.Number => reader.ValueSpan.Length <= MaxNumberShown
            ? Encoding.UTF8.GetString(reader.ValueSpan)
            : Encoding.UTF8.GetString(reader.ValueSpan[..MaxNumberShown]) + "…",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };

    /// <summary>Drops the reader's "LineNumber: 0 | BytePositionInLine: 12." suffix (the line is
    /// already in the position) in favour of a plain byte offset.</summary>
    private static string Summarise(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut].TrimEnd('.');
        }
        return e.BytePositionInLine is { } at
            ? $"{message} at byte {(at + 1).ToString(CultureInfo.InvariantCulture)}"
            : message;
    }

    /// <summary>The values read so far from one line and the first problem found. Reading goes on
    /// after a problem so the error can still name the record's id, wherever the id stands.</summary>
    private struct Fields
    {
        public int Seen;
        public string? Id, Account, Target, Text, Fingerprint, Handle, DisplayName;
        public SignalKind? Kind;
        public DateTimeOffset? Timestamp, AccountCreatedAt;
        public long? Followers, Following, Posts;

        /// <summary>The field whose value is being read, so a failure inside it can name it.</summary>
        public string? Reading;
        private string? _errorField, _errorMessage;

        /// <summary>The error already found for the field being read, if any.</summary>
        public readonly SignalReadResult? FailedOnReading(long position) =>
            Reading is not null && _errorField == Reading
                ? SignalReadResult.Fail(position, Id, _errorField, _errorMessage!)
                : null;

        public void Fail(string field, string message)
        {
            if (_errorField is null)
            {
                _errorField = field;
                _errorMessage = message;
            }
        }

        public SignalReadResult ToResult(long position)
        {
            CheckRequired(NdjsonSignalReader.Id);
            CheckRequired(NdjsonSignalReader.Account);
            CheckRequired(NdjsonSignalReader.Kind);
            CheckRequired(NdjsonSignalReader.Target);
            CheckRequired(NdjsonSignalReader.Timestamp);
            if (_errorField is not null)
            {
                return SignalReadResult.Fail(position, Id, _errorField, _errorMessage!);
            }
            var profile = AccountCreatedAt is null && Handle is null && DisplayName is null
                && Followers is null && Following is null && Posts is null
                ? null
                : new AccountProfile(AccountCreatedAt, Handle, DisplayName, Followers, Following, Posts);
            return SignalReadResult.Ok(new Signal(Id!, Account!, Kind!.Value, Target!, Timestamp!.Value, Text, Fingerprint, profile)) with { Position = position };
        }

        private void CheckRequired(int field)
        {
            if ((Seen & (1 << field)) == 0)
            {
                Fail(FieldNames[field], "is required");
            }
        }
    }
}
