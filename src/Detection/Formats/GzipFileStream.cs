using System.Buffers.Binary;
using System.IO.Compression;

namespace Cib.Detection.Formats;

/// <summary>
/// Decompresses a gzip file and, at its end, checks that the file was not cut short: GZipStream
/// returns end-of-stream on truncated input (unless a process-wide switch asks otherwise), so
/// a truncated download would otherwise read as a shorter file, its last record cut to something
/// that may still parse. A failed check is an <see cref="InvalidDataException"/>, which the readers
/// report as one error after the records read before it.
/// </summary>
/// <remarks>
/// The check: a gzip member ends in its uncompressed size mod 2^32 (RFC 1952), so for the usual
/// one-member file the file's last four bytes equal the number of bytes inflated. When they differ
/// the file is reported as truncated only if it holds no second member header (1F 8B 08) either:
/// a concatenation of members (pigz, bgzip, cat a.gz b.gz) ends in its last member's size, and must
/// never be refused. That errs towards reading a truncated multi-member file without complaint,
/// never towards refusing a complete one.
/// </remarks>
internal sealed class GzipFileStream(FileStream file) : Stream
{
    private readonly GZipStream _gzip = new(file, CompressionMode.Decompress, leaveOpen: true);
    private long _inflated;
    private bool _checked;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _gzip.Read(buffer);
        _inflated += read;
        if (read == 0 && !buffer.IsEmpty && !_checked)
        {
            _checked = true;
            CheckComplete();
        }
        return read;
    }

    private void CheckComplete()
    {
        Span<byte> size = stackalloc byte[4];
        if (file.Length < 18)
        {
            throw new InvalidDataException("the gzip data is truncated (shorter than a gzip header and trailer)");
        }
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(size);
        if (BinaryPrimitives.ReadUInt32LittleEndian(size) == (uint)_inflated || HasSecondMember())
        {
            return;
        }
        throw new InvalidDataException("the gzip data is truncated (the file ends before its gzip trailer)");
    }

    private bool HasSecondMember()
    {
        file.Seek(10, SeekOrigin.Begin);
        var buffer = new byte[64 * 1024];
        var carried = 0;
        int read;
        while ((read = file.Read(buffer, carried, buffer.Length - carried)) > 0)
        {
            var filled = carried + read;
            if (buffer.AsSpan(0, filled).IndexOf([(byte)0x1F, (byte)0x8B, (byte)0x08]) >= 0)
            {
                return true;
            }
            // Keep the last two bytes, in case a header straddles two reads.
            carried = Math.Min(2, filled);
            buffer.AsSpan(filled - carried, carried).CopyTo(buffer);
        }
        return false;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
            file.Dispose();
        }
        base.Dispose(disposing);
    }
}
