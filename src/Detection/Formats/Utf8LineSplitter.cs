using System.Buffers;

namespace Cib.Detection.Formats;

/// <summary>
/// Splits a UTF-8 stream into lines at '\n' without decoding it, handing out ranges of one reused
/// buffer. Lines longer than <see cref="NdjsonSignalReader.MaxLineBytes"/> are skipped and flagged.
/// </summary>
internal sealed class Utf8LineSplitter(Stream stream) : IDisposable
{
    private const int InitialSize = 64 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Why the stream broke off (a truncated or corrupt gzip stream), or null. Once set, the
    /// line last returned is the incomplete one the stream broke off in, and no other follows.</summary>
    public string? Failure { get; private set; }

    /// <summary>True when the stream broke off inside a line, which was then returned incomplete.</summary>
    public bool BrokeOffInLine { get; private set; }

    /// <summary>The buffer the ranges returned by <see cref="TryReadLine"/> point into; valid until the next call.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>
    /// The next line, without its '\n' (a '\r' before it is left for the caller). False at the end.
    /// <paramref name="tooLong"/> is set, with an empty range, for a line that was skipped.
    /// </summary>
    public bool TryReadLine(out int offset, out int length, out bool tooLong)
    {
        tooLong = false;
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                offset = _start;
                length = scanned + newline;
                _start += length + 1;
                // A fill can bring a long line in whole, past the check below; the bound holds anyway.
                if (length > NdjsonSignalReader.MaxLineBytes)
                {
                    length = 0;
                    tooLong = true;
                }
                return true;
            }
            scanned = _end - _start;
            if (_eof)
            {
                offset = _start;
                length = _end - _start;
                _start = _end;
                BrokeOffInLine = Failure is not null && length > 0;
                return length > 0;
            }
            if (scanned > NdjsonSignalReader.MaxLineBytes)
            {
                SkipRestOfLine();
                offset = _start;
                length = 0;
                tooLong = true;
                return true;
            }
            Fill();
        }
    }

    /// <summary>Reads more bytes after the pending ones, compacting or growing the buffer first.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        int read;
        try
        {
            read = stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            Failure = e.Message;
            read = 0;
        }
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
    }

    private void SkipRestOfLine()
    {
        while (true)
        {
            _start = 0;
            _end = 0;
            Fill();
            if (_eof)
            {
                return;
            }
            var newline = _buffer.AsSpan(0, _end).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start = newline + 1;
                return;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
