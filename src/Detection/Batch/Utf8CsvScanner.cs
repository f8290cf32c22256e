using System.Runtime.CompilerServices;
namespace Cib.Detection.Batch;

/// <summary>
/// An RFC 4180 CSV scanner over UTF-8 bytes that hands out each field as a span of one reused
/// buffer, so that reading a million rows allocates nothing per row. It accepts what
/// <see cref="Formats.CsvReader"/> accepts (records end at CRLF, LF or CR; blank lines are skipped;
/// a quote inside an unquoted field and text after a closing quote are kept, as Python's csv does)
/// but does not decode: callers decode only the fields they keep.
/// </summary>
internal sealed class Utf8CsvScanner
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _position;
    private int _length;
    private bool _eof;
    private int[] _starts = new int[16];
    private int[] _lengths = new int[16];
    private bool[] _inScratch = new bool[16];
    private byte[] _scratch = new byte[1024];
    private int _scratchLength;

    /// <summary>Creates a scanner over <paramref name="stream"/>, which it reads but does not dispose.</summary>
    public Utf8CsvScanner(Stream stream)
    {
        _stream = stream;
        _buffer = new byte[1 << 20];
    }

    /// <summary>Creates a scanner over bytes <paramref name="start"/> to <paramref name="end"/> of
    /// <paramref name="data"/>, read in place: one chunk of a file held in memory. The chunk's end is
    /// the end of input, so a record cut by it reads as an unclosed quote (see <see cref="UnclosedAt"/>).</summary>
    public Utf8CsvScanner(byte[] data, int start, int end)
    {
        _stream = Stream.Null;
        _buffer = data;
        _position = start;
        _length = end;
        _eof = true;
    }

    /// <summary>Where the next record starts: just past the record just read.</summary>
    public int Position => _position;

    /// <summary>After <see cref="Read"/> reported an unclosed quote: where that record started; else -1.</summary>
    public int UnclosedAt { get; private set; } = -1;

    /// <summary>Fields in the record just read.</summary>
    public int FieldCount { get; private set; }

    /// <summary>Records read so far, this one included (the header is record 1).</summary>
    public long RecordNumber { get; private set; }

    /// <summary>Field <paramref name="index"/> of the record just read, quotes removed; valid until the next read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> Field(int index) =>
        (_inScratch[index] ? _scratch : _buffer).AsSpan(_starts[index], _lengths[index]);

    /// <summary>Reads the next record; false at the end of input, or when a quoted field is never
    /// closed (then <paramref name="unclosedQuote"/> is set and the rest of the input is lost).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read(out bool unclosedQuote)
    {
        unclosedQuote = false;
        while (true)
        {
            var outcome = TryParse(out var end);
            if (outcome == Outcome.Record)
            {
                _position = end;
                RecordNumber++;
                return true;
            }
            if (outcome == Outcome.Blank)
            {
                _position = end;
                continue;
            }
            if (outcome == Outcome.End)
            {
                return false;
            }
            if (_eof)
            {
                // Only an unclosed quote can need more input at the end: any other record ends there.
                unclosedQuote = true;
                UnclosedAt = _position;
                _position = _length;
                return false;
            }
            Fill();
        }
    }

    private enum Outcome { Record, Blank, NeedMore, End }

    /// <summary>Parses one record at <see cref="_position"/> without consuming it: a record that runs
    /// past the buffered bytes is parsed again from its start once more are read, which is why the
    /// buffer is never written to here (a field that needs unescaping is built in a scratch buffer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Outcome TryParse(out int end)
    {
        end = _position;
        var buffer = _buffer;
        var p = _position;
        if (p == _length)
        {
            return _eof ? Outcome.End : Outcome.NeedMore;
        }
        if (buffer[p] is (byte)'\r' or (byte)'\n')
        {
            if (buffer[p] == '\r' && p + 1 == _length && !_eof)
            {
                return Outcome.NeedMore;
            }
            end = p + (buffer[p] == '\r' && p + 1 < _length && buffer[p + 1] == '\n' ? 2 : 1);
            return Outcome.Blank;
        }
        var count = 0;
        _scratchLength = 0;
        while (true)
        {
            if (count == _starts.Length)
            {
                Array.Resize(ref _starts, count * 2);
                Array.Resize(ref _lengths, count * 2);
                Array.Resize(ref _inScratch, count * 2);
            }
            var quotedFrom = -1;
            var quotedTo = -1;
            if (p < _length && buffer[p] == '"')
            {
                var close = FindClosingQuote(p + 1);
                if (close < 0)
                {
                    return Outcome.NeedMore;
                }
                quotedFrom = p + 1;
                quotedTo = close;
                p = close + 1;
            }
            var rest = buffer.AsSpan(p, _length - p);
            var stop = rest.IndexOfAny((byte)',', (byte)'\r', (byte)'\n');
            if (stop < 0)
            {
                if (!_eof)
                {
                    return Outcome.NeedMore;
                }
                stop = rest.Length;
            }
            if (quotedFrom < 0)
            {
                SetField(count, p, stop, inScratch: false);
            }
            else if (stop == 0 && buffer.AsSpan(quotedFrom, quotedTo - quotedFrom).IndexOf((byte)'"') < 0)
            {
                SetField(count, quotedFrom, quotedTo - quotedFrom, inScratch: false);
            }
            else
            {
                var from = _scratchLength;
                Unescape(buffer.AsSpan(quotedFrom, quotedTo - quotedFrom));
                // Text after a closing quote is kept, as Python's csv keeps it.
                AppendScratch(rest[..stop]);
                SetField(count, from, _scratchLength - from, inScratch: true);
            }
            count++;
            p += stop;
            if (p == _length)
            {
                end = p;
                break;
            }
            if (buffer[p] == ',')
            {
                p++;
                continue;
            }
            if (buffer[p] == '\r')
            {
                if (p + 1 == _length && !_eof)
                {
                    return Outcome.NeedMore;
                }
                end = p + (p + 1 < _length && buffer[p + 1] == '\n' ? 2 : 1);
            }
            else
            {
                end = p + 1;
            }
            break;
        }
        FieldCount = count;
        return Outcome.Record;
    }

    /// <summary>The index of the quote closing a field whose content starts at <paramref name="from"/>,
    /// or -1 when it lies beyond the buffered bytes ("" is an escaped quote, not a close).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int FindClosingQuote(int from)
    {
        var p = from;
        while (true)
        {
            var i = _buffer.AsSpan(p, _length - p).IndexOf((byte)'"');
            if (i < 0)
            {
                return -1;
            }
            p += i;
            if (p + 1 == _length)
            {
                return _eof ? p : -1;
            }
            if (_buffer[p + 1] != '"')
            {
                return p;
            }
            p += 2;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SetField(int index, int start, int length, bool inScratch)
    {
        _starts[index] = start;
        _lengths[index] = length;
        _inScratch[index] = inScratch;
    }

    /// <summary>Appends quoted content to the scratch buffer with each "" made one ".</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Unescape(ReadOnlySpan<byte> content)
    {
        while (content.Length > 0)
        {
            var i = content.IndexOf((byte)'"');
            if (i < 0)
            {
                AppendScratch(content);
                return;
            }
            AppendScratch(content[..(i + 1)]);
            content = content[(i + 2)..];
        }
    }

    private void AppendScratch(ReadOnlySpan<byte> bytes)
    {
        if (_scratchLength + bytes.Length > _scratch.Length)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchLength + bytes.Length));
        }
        bytes.CopyTo(_scratch.AsSpan(_scratchLength));
        _scratchLength += bytes.Length;
    }

    private void Fill()
    {
        if (_position > 0)
        {
            _buffer.AsSpan(_position, _length - _position).CopyTo(_buffer);
            _length -= _position;
            _position = 0;
        }
        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = _stream.ReadAtLeast(_buffer.AsSpan(_length), _buffer.Length - _length, throwOnEndOfStream: false);
        _length += read;
        if (_length < _buffer.Length)
        {
            _eof = true;
        }
    }
}
