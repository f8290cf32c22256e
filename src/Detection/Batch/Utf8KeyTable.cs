using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cib.Detection.Batch;

/// <summary>
/// Interns byte strings (user ids, repost ids, URLs, normalised texts) to dense numbers 0, 1, 2, …
/// in order of first appearance, without a string per row. Lookups go by a 64-bit hash, but a key
/// is only ever found by comparing its bytes: two keys with the same hash take two slots, so a
/// hash collision costs a probe, never a wrong match.
/// </summary>
internal sealed class Utf8KeyTable
{
    private int[] _slots;
    private int _shift;
    private ulong[] _hashes = new ulong[16];
    private int[] _starts = new int[17];
    private byte[] _bytes = new byte[256];

    /// <summary>Creates a table sized for about <paramref name="expected"/> keys.</summary>
    public Utf8KeyTable(int expected = 16)
    {
        var bits = Math.Max(4, 64 - (int)ulong.LeadingZeroCount((ulong)Math.Max(1, expected) * 2));
        _slots = new int[1 << bits];
        _shift = 64 - bits;
    }

    /// <summary>Keys held.</summary>
    public int Count { get; private set; }

    /// <summary>The bytes of key <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> Key(int id) => _bytes.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);

    /// <summary>The hash of key <paramref name="id"/>, as <see cref="Hash"/> computed it.</summary>
    public ulong HashOf(int id) => _hashes[id];

    /// <summary>The number of <paramref name="key"/>, added if new.</summary>
    public int Intern(ReadOnlySpan<byte> key) => Intern(key, Hash(key), out _);

    /// <summary>The number of <paramref name="key"/> (whose <see cref="Hash"/> is <paramref name="hash"/>),
    /// added if new, in which case <paramref name="added"/> is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Intern(ReadOnlySpan<byte> key, ulong hash, out bool added)
    {
        Debug.Assert(hash == Hash(key), "the hash must be the key's");
        var mask = _slots.Length - 1;
        var slot = (int)(hash >> _shift);
        while (true)
        {
            var entry = _slots[slot] - 1;
            if (entry < 0)
            {
                break;
            }
            if (_hashes[entry] == hash && Key(entry).SequenceEqual(key))
            {
                added = false;
                return entry;
            }
            slot = (slot + 1) & mask;
        }
        var id = Count;
        if (id + 1 == _starts.Length)
        {
            Array.Resize(ref _hashes, id * 2);
            Array.Resize(ref _starts, (id * 2) + 1);
        }
        var start = _starts[id];
        if (start + key.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, start + key.Length));
        }
        key.CopyTo(_bytes.AsSpan(start));
        _starts[id + 1] = start + key.Length;
        _hashes[id] = hash;
        _slots[slot] = id + 1;
        Count = id + 1;
        if (Count * 2 > _slots.Length)
        {
            Grow();
        }
        added = true;
        return id;
    }

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        _shift--;
        var mask = _slots.Length - 1;
        for (var id = 0; id < Count; id++)
        {
            var slot = (int)(_hashes[id] >> _shift);
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            _slots[slot] = id + 1;
        }
    }

    /// <summary>A 64-bit hash of <paramref name="key"/>: eight bytes at a time, each word multiplied in
    /// and folded, then a final avalanche so that the top bits, which pick the slot, depend on every byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Hash(ReadOnlySpan<byte> key)
    {
        var h = 0x9E3779B97F4A7C15UL ^ ((ulong)key.Length * 0xC2B2AE3D27D4EB4FUL);
        while (key.Length >= 8)
        {
            h = (h ^ MemoryMarshal.Read<ulong>(key)) * 0xBF58476D1CE4E5B9UL;
            h ^= h >> 31;
            key = key[8..];
        }
        if (key.Length > 0)
        {
            ulong tail = 0;
            for (var i = key.Length - 1; i >= 0; i--)
            {
                tail = (tail << 8) | key[i];
            }
            h = (h ^ tail) * 0xBF58476D1CE4E5B9UL;
        }
        h ^= h >> 32;
        h *= 0xD6E8FEB86659FD93UL;
        h ^= h >> 32;
        return h;
    }
}
