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
internal sealed class CsvReader
{
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[64 * 1024];
    private int _position;
    private int _length;
    private bool _eof;
    private char[] _field = new char[256];
    private int _fieldLength;
    private readonly List<string> _fields = [];
    private long _line = 1;

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

    /// <summary>Reads the next record.</summary>
    public CsvReadStatus Read()
    {
        _fields.Clear();
        Error = null;
        if (!SkipBlankLines())
        {
            return CsvReadStatus.End;
        }
        RecordNumber++;
        StartLine = _line;
        while (true)
        {
            _fieldLength = 0;
            if (Peek() == '"')
            {
                _position++;
                var openedOn = _line;
                if (!ReadQuoted())
                {
                    Error = $"has a quoted field opened on line {openedOn} that is never closed " +
                        "(a '\"' inside a quoted field must be doubled as '\"\"')";
                    return CsvReadStatus.Malformed;
                }
            }
            var end = ReadUnquoted();
            _fields.Add(new string(_field, 0, _fieldLength));
            if (end == ',')
            {
                _position++;
                continue;
            }
            ConsumeLineBreak(end);
            break;
        }
        if (ExpectedFieldCount is { } expected && _fields.Count != expected)
        {
            Error = $"has {_fields.Count} fields, expected {expected} (record starts on line {StartLine})";
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

    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        _eof = _length == 0;
        return !_eof;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (_fieldLength + chars.Length > _field.Length)
        {
            Array.Resize(ref _field, Math.Max(_field.Length * 2, _fieldLength + chars.Length));
        }
        chars.CopyTo(_field.AsSpan(_fieldLength));
        _fieldLength += chars.Length;
    }
}
