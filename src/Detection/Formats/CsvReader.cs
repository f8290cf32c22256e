namespace Cib.Detection.Formats;

/// <summary>What <see cref="CsvReader.Read"/> found.</summary>
internal enum CsvReadStatus
{
    /// <summary>A well-formed record; its fields are in <see cref="CsvReader.Fields"/>.</summary>
    Record,

    /// <summary>A malformed record; <see cref="CsvReader.Error"/> says why. Reading may go on.</summary>
    Malformed,

    /// <summary>No more input.</summary>
    End,
}

/// <summary>
/// An RFC 4180 CSV reader: comma-separated fields, fields in double quotes may hold commas, line
/// breaks and doubled quotes (<c>""</c> for one <c>"</c>); records end at CRLF, LF or CR. Blank lines
/// between records are skipped. Where RFC 4180 is silent or strict, it does what Python's csv module
/// does, since the toolkit's files are written by it: a quote inside an unquoted field and text after
/// a closing quote are kept as they are.
/// </summary>
/// <remarks>
/// Memory is bounded whatever the input: a field longer than
/// <see cref="MaxFieldLength"/> or a record with more than <see cref="MaxFieldCount"/> fields is
/// read past and reported as malformed, and a failure of the underlying reader (a truncated or
/// corrupt gzip stream) ends the input with one malformed record that says so.
/// </remarks>
internal sealed class CsvReader
{
    /// <summary>Longest field kept, in characters (as long as the longest NDJSON line, in bytes): the
    /// longest valid field, a text, is far shorter; a longer one is garbage or a quote never closed.</summary>
    public const int MaxFieldLength = NdjsonSignalReader.MaxLineBytes;

    /// <summary>Most fields kept per record; the formats have at most eight columns.</summary>
    public const int MaxFieldCount = 1_000;

    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[64 * 1024];
    private int _position;
    private int _length;
    private bool _eof;
    private char[] _field = new char[256];
    private int _fieldLength;
    private readonly List<string> _fields = [];
    private long _line = 1;
    private bool _fieldTooLong;
    private string? _failure;
    private bool _failureReported;

    /// <summary>Creates a reader over <paramref name="reader"/>.</summary>
    public CsvReader(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
    }

    /// <summary>The fields of the record just read.</summary>
    public IReadOnlyList<string> Fields => _fields;

    /// <summary>How many records have been read, this one included (1 for the first, a header if any).</summary>
    public long RecordNumber { get; private set; }

    /// <summary>The 1-based line on which the record just read starts (quoted fields can span lines).</summary>
    public long StartLine { get; private set; }

    /// <summary>When set, a record with another number of fields is <see cref="CsvReadStatus.Malformed"/>.</summary>
    public int? ExpectedFieldCount { get; set; }

    /// <summary>Why the last record was malformed, phrased to follow "record N " in a message.</summary>
    public string? Error { get; private set; }

    /// <summary>Why the input broke off (a truncated or corrupt gzip stream), or null while it has not.</summary>
    public string? Failure => _failure;

    /// <summary>The 0-based index of the field that made the last record malformed, when one field did.</summary>
    public int? ErrorField { get; private set; }

    /// <summary>Reads the next record.</summary>
    public CsvReadStatus Read()
    {
        _fields.Clear();
        Error = null;
        ErrorField = null;
        if (!SkipBlankLines())
        {
            if (_failure is not null && !_failureReported)
            {
                RecordNumber++;
                StartLine = _line;
                return ReportFailure();
            }
            return CsvReadStatus.End;
        }
        RecordNumber++;
        StartLine = _line;
        int? tooLong = null;
        var count = 0;
        while (true)
        {
            _fieldLength = 0;
            _fieldTooLong = false;
            if (Peek() == '"')
            {
                _position++;
                var openedOn = _line;
                if (!ReadQuoted())
                {
                    if (_failure is not null)
                    {
                        return ReportFailure();
                    }
                    Error = $"has a quoted field opened on line {openedOn} that is never closed " +
                        "(a '\"' inside a quoted field must be doubled as '\"\"')";
                    ErrorField = count;
                    return CsvReadStatus.Malformed;
                }
            }
            var end = ReadUnquoted();
            if (_fieldTooLong)
            {
                tooLong ??= count;
            }
            if (count < MaxFieldCount)
            {
                _fields.Add(_fieldTooLong ? "" : new string(_field, 0, _fieldLength));
            }
            count++;
            if (end == ',')
            {
                _position++;
                continue;
            }
            ConsumeLineBreak(end);
            break;
        }
        if (_failure is not null)
        {
            // The record was cut where the input broke off; its last field is not to be trusted.
            return ReportFailure();
        }
        if (tooLong is { } index)
        {
            Error = $"has field {index + 1} longer than {MaxFieldLength} characters (record starts on line {StartLine}); record skipped";
            ErrorField = index;
            return CsvReadStatus.Malformed;
        }
        if (count > MaxFieldCount || (ExpectedFieldCount is { } expected && count != expected))
        {
            var wanted = ExpectedFieldCount is { } e ? $"expected {e}" : $"at most {MaxFieldCount} are read";
            Error = $"has {count} fields, {wanted} (record starts on line {StartLine})";
            return CsvReadStatus.Malformed;
        }
        return CsvReadStatus.Record;
    }

    /// <summary>Skips empty lines; false at the end of input.</summary>
    private bool SkipBlankLines()
    {
        while (true)
        {
            var c = Peek();
            if (c < 0)
            {
                return false;
            }
            if (c is not ('\r' or '\n'))
            {
                return true;
            }
            ConsumeLineBreak(c);
        }
    }

    /// <summary>Reads a quoted field's content after its opening quote, through its closing quote;
    /// false when the input ends first.</summary>
    private bool ReadQuoted()
    {
        while (true)
        {
            if (_position == _length && !Fill())
            {
                return false;
            }
            var span = _buffer.AsSpan(_position, _length - _position);
            var stop = span.IndexOfAny('"', '\n');
            if (stop < 0)
            {
                Append(span);
                _position = _length;
                continue;
            }
            Append(span[..stop]);
            _position += stop + 1;
            if (span[stop] == '\n')
            {
                _line++;
                Append("\n");
                continue;
            }
            if (Peek() == '"')
            {
                _position++;
                Append("\"");
                continue;
            }
            return true;
        }
    }

    /// <summary>Reads unquoted characters up to a comma, a line break or the end; returns which
    /// (-1 for the end) without consuming it.</summary>
    private int ReadUnquoted()
    {
        while (true)
        {
            if (_position == _length && !Fill())
            {
                return -1;
            }
            var span = _buffer.AsSpan(_position, _length - _position);
            var stop = span.IndexOfAny(',', '\r', '\n');
            if (stop < 0)
            {
                Append(span);
                _position = _length;
                continue;
            }
            Append(span[..stop]);
            _position += stop;
            return span[stop];
        }
    }

    private void ConsumeLineBreak(int c)
    {
        if (c < 0)
        {
            return;
        }
        _position++;
        if (c == '\r' && Peek() == '\n')
        {
            _position++;
        }
        _line++;
    }

    private int Peek()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }
        return _buffer[_position];
    }

    private CsvReadStatus ReportFailure()
    {
        _failureReported = true;
        Error = $"cannot be read: the input breaks off on line {_line} ({_failure}); the records before it were read";
        return CsvReadStatus.Malformed;
    }

    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }
        try
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A truncated or corrupt gzip stream: what was read stands, the rest is one error.
            _failure = e.Message;
            _length = 0;
        }
        _position = 0;
        _eof = _length == 0;
        return !_eof;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (_fieldTooLong)
        {
            return;
        }
        if (_fieldLength + chars.Length > MaxFieldLength)
        {
            _fieldTooLong = true;
            return;
        }
        if (_fieldLength + chars.Length > _field.Length)
        {
            Array.Resize(ref _field, Math.Max(_field.Length * 2, _fieldLength + chars.Length));
        }
        chars.CopyTo(_field.AsSpan(_fieldLength));
        _fieldLength += chars.Length;
    }
}
