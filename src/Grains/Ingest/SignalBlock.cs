using System.Buffers.Binary;
using System.Text;
using Cib.Detection.Signals;

namespace Cib.Grains.Ingest;

/// <summary>
/// The signal log's storage format: consecutive signals packed into one blob per row of the log's table, at most
/// <see cref="MaxSignals"/> per block. One row per signal cost about 3 µs of SQLite work (14 bound columns, a B-tree
/// cell each); one row per block costs about 0.5 µs a signal, most of it encoding.
/// <para>
/// A block is a format byte (<see cref="Format"/>), the signal count as a 32-bit little-endian integer, then each
/// signal as a 32-bit little-endian byte length and its record, so that reading the k-th signal skips the others
/// without decoding them. A record: id, account, kind (one byte), target, event time (UTC ticks, 64-bit), a presence
/// byte for the optional fields (bit 0 text, 1 fingerprint, 2 created-at, 3 handle, 4 display name, 5 followers,
/// 6 following, 7 posts), then the present ones in that order. Strings are a 32-bit byte length and UTF-8; counts and
/// times are 64-bit. Little-endian throughout, so a file reads the same on any machine.
/// </para>
/// </summary>
internal static class SignalBlock
{
    /// <summary>The most signals in one block: small enough that reading one signal reads a few kB.</summary>
    public const int MaxSignals = 256;

    /// <summary>The format byte every block starts with; a block with another is refused, not misread.</summary>
    public const byte Format = 1;

    private const int HeaderBytes = 5;

    // Refuses bytes that are not UTF-8 (DecoderFallbackException, an ArgumentException) instead of replacing them, so a
    // damaged record is reported, not read back as different text.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes a block of <paramref name="signals"/> into <paramref name="buffer"/> (grown as needed); returns its length.</summary>
    public static int Write(ReadOnlySpan<Signal> signals, ref byte[] buffer)
    {
        if (signals.Length is 0 or > MaxSignals)
        {
            throw new ArgumentOutOfRangeException(nameof(signals), signals.Length, $"a block holds 1 to {MaxSignals} signals");
        }
        var at = 0;
        Ensure(ref buffer, HeaderBytes);
        buffer[at++] = Format;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), signals.Length);
        at += 4;
        foreach (var s in signals)
        {
            var start = at;
            Ensure(ref buffer, at + MaxRecordBytes(s));
            at += 4;
            var b = buffer.AsSpan();
            at = String(b, at, s.Id);
            at = String(b, at, s.Account);
            b[at++] = (byte)s.Kind;
            at = String(b, at, s.Target);
            at = Int64(b, at, s.Timestamp.UtcTicks);
            var p = s.Profile;
            var present = (s.Text is null ? 0 : 1) | (s.Fingerprint is null ? 0 : 2) | (p?.CreatedAt is null ? 0 : 4)
                | (p?.Handle is null ? 0 : 8) | (p?.DisplayName is null ? 0 : 16) | (p?.Followers is null ? 0 : 32)
                | (p?.Following is null ? 0 : 64) | (p?.Posts is null ? 0 : 128);
            b[at++] = (byte)present;
            if (s.Text is { } text)
            {
                at = String(b, at, text);
            }
            if (s.Fingerprint is { } fingerprint)
            {
                at = String(b, at, fingerprint);
            }
            if (p?.CreatedAt is { } created)
            {
                at = Int64(b, at, created.UtcTicks);
            }
            if (p?.Handle is { } handle)
            {
                at = String(b, at, handle);
            }
            if (p?.DisplayName is { } name)
            {
                at = String(b, at, name);
            }
            if (p?.Followers is { } followers)
            {
                at = Int64(b, at, followers);
            }
            if (p?.Following is { } following)
            {
                at = Int64(b, at, following);
            }
            if (p?.Posts is { } posts)
            {
                at = Int64(b, at, posts);
            }
            BinaryPrimitives.WriteInt32LittleEndian(b[start..], at - start - 4);
        }
        return at;
    }

    /// <summary>How many signals <paramref name="block"/> holds; throws <see cref="InvalidDataException"/> naming
    /// <paramref name="firstSeq"/> when it is not a block of this format.</summary>
    public static int Count(ReadOnlySpan<byte> block, long firstSeq)
    {
        if (block.Length < HeaderBytes || block[0] != Format)
        {
            throw Corrupt(firstSeq, block.Length < HeaderBytes ? $"only {block.Length} bytes" : $"format byte {block[0]} (this version reads {Format})");
        }
        return BinaryPrimitives.ReadInt32LittleEndian(block[1..]);
    }

    /// <summary>Calls <paramref name="visit"/> with each signal's index in the block and its record, in order.</summary>
    public static void ForEach<TState>(ReadOnlySpan<byte> block, long firstSeq, ref TState state, RecordVisitor<TState> visit)
    {
        var count = Count(block, firstSeq);
        var at = HeaderBytes;
        for (var i = 0; i < count; i++)
        {
            var length = at + 4 <= block.Length ? BinaryPrimitives.ReadInt32LittleEndian(block[at..]) : -1;
            if (length < 0 || at + 4 + length > block.Length)
            {
                throw Corrupt(firstSeq, $"signal {i} of {count} runs past the block's {block.Length} bytes");
            }
            visit(ref state, i, block.Slice(at + 4, length));
            at += 4 + length;
        }
    }

    /// <summary>What <see cref="ForEach{TState}"/> calls for each record.</summary>
    public delegate void RecordVisitor<TState>(ref TState state, int index, ReadOnlySpan<byte> record);

    /// <summary>The signal in <paramref name="record"/>, stored as sequence number <paramref name="seq"/> (named when the
    /// record cannot be read: a field runs past its end, or a string is not UTF-8).</summary>
    public static Signal Decode(ReadOnlySpan<byte> record, long seq)
    {
        try
        {
            return DecodeUnchecked(record);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException($"signal log record {seq} cannot be read: a field runs past its {record.Length} bytes or is not UTF-8", e);
        }
    }

    private static Signal DecodeUnchecked(ReadOnlySpan<byte> record)
    {
        var at = 0;
        var id = ReadString(record, ref at);
        var account = ReadString(record, ref at);
        var kind = (SignalKind)record[at++];
        var target = ReadString(record, ref at);
        var ticks = ReadInt64(record, ref at);
        var present = record[at++];
        var text = (present & 1) != 0 ? ReadString(record, ref at) : null;
        var fingerprint = (present & 2) != 0 ? ReadString(record, ref at) : null;
        AccountProfile? profile = null;
        if (present >= 4)
        {
            profile = new AccountProfile(
                (present & 4) != 0 ? new DateTimeOffset(ReadInt64(record, ref at), TimeSpan.Zero) : null,
                (present & 8) != 0 ? ReadString(record, ref at) : null,
                (present & 16) != 0 ? ReadString(record, ref at) : null,
                (present & 32) != 0 ? ReadInt64(record, ref at) : null,
                (present & 64) != 0 ? ReadInt64(record, ref at) : null,
                (present & 128) != 0 ? ReadInt64(record, ref at) : null);
        }
        return new Signal(id, account, kind, target, new DateTimeOffset(ticks, TimeSpan.Zero), text, fingerprint, profile);
    }

    /// <summary>The id, account and event time (UTC ticks) of the signal in <paramref name="record"/>, without the rest:
    /// what the log's in-memory indexes need when it opens.</summary>
    public static (string Id, string Account, long Ticks) DecodeKeys(ReadOnlySpan<byte> record, long seq)
    {
        try
        {
            return DecodeKeysUnchecked(record);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException($"signal log record {seq} cannot be read: a field runs past its {record.Length} bytes or is not UTF-8", e);
        }
    }

    private static (string Id, string Account, long Ticks) DecodeKeysUnchecked(ReadOnlySpan<byte> record)
    {
        var at = 0;
        var id = ReadString(record, ref at);
        var account = ReadString(record, ref at);
        at++;
        var targetLength = BinaryPrimitives.ReadInt32LittleEndian(record[at..]);
        at += 4 + targetLength;
        return (id, account, ReadInt64(record, ref at));
    }

    private static int MaxRecordBytes(Signal s) =>
        4 + 1 + 1 + (8 * 5) + (4 * 7)
        + Utf8Max(s.Id) + Utf8Max(s.Account) + Utf8Max(s.Target) + Utf8Max(s.Text) + Utf8Max(s.Fingerprint)
        + Utf8Max(s.Profile?.Handle) + Utf8Max(s.Profile?.DisplayName);

    private static int Utf8Max(string? s) => s is null ? 0 : Encoding.UTF8.GetMaxByteCount(s.Length);

    private static void Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            Array.Resize(ref buffer, Math.Max(length, buffer.Length * 2));
        }
    }

    private static int String(Span<byte> b, int at, string s)
    {
        var n = Encoding.UTF8.GetBytes(s, b[(at + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(b[at..], n);
        return at + 4 + n;
    }

    private static int Int64(Span<byte> b, int at, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(b[at..], value);
        return at + 8;
    }

    private static string ReadString(ReadOnlySpan<byte> r, ref int at)
    {
        var n = BinaryPrimitives.ReadInt32LittleEndian(r[at..]);
        var s = StrictUtf8.GetString(r.Slice(at + 4, n));
        at += 4 + n;
        return s;
    }

    private static long ReadInt64(ReadOnlySpan<byte> r, ref int at)
    {
        var v = BinaryPrimitives.ReadInt64LittleEndian(r[at..]);
        at += 8;
        return v;
    }

    private static InvalidDataException Corrupt(long firstSeq, string what) =>
        new($"signal log block starting at sequence {firstSeq} cannot be read: {what}");
}
