using System.Diagnostics;

namespace Cib.Detection.Batch;

/// <summary>
/// Counts per pair of user numbers in an open-addressing table of longs. A
/// <c>Dictionary&lt;long, int&gt;</c> is the obvious choice and a poor one here: <c>long</c> hashes
/// to its high half XOR its low half, which for a pair of small user numbers is u1 ^ u2, so a few
/// tens of thousands of users share a few tens of thousands of hash codes and every lookup walks
/// a long chain (11 s instead of well under 1 s for a million messages).
/// </summary>
internal sealed class PairCounter
{
    private const long Empty = -1;
    private long[] _keys;
    private int[] _counts;
    private int _shift;

    /// <summary>Creates an empty counter.</summary>
    public PairCounter()
    {
        _shift = 64 - 10;
        _keys = new long[1 << 10];
        _counts = new int[1 << 10];
        Array.Fill(_keys, Empty);
    }

    /// <summary>Pairs held.</summary>
    public int Count { get; private set; }

    /// <summary>Packs a pair of user numbers (each at least 0) as user 1 × 2³² + user 2.</summary>
    public static long Pack(int user1, int user2) => ((long)user1 << 32) | (uint)user2;

    /// <summary>Adds <paramref name="amount"/> to the count of <paramref name="pair"/>.</summary>
    public void Add(long pair, int amount = 1)
    {
        Debug.Assert(pair >= 0, "user numbers are never negative, so no pair collides with the empty marker");
        var mask = _keys.Length - 1;
        // Fibonacci hashing spreads the packed pair over the table's top bits.
        var slot = (int)((ulong)pair * 0x9E3779B97F4A7C15UL >> _shift);
        while (true)
        {
            var key = _keys[slot];
            if (key == pair)
            {
                _counts[slot] += amount;
                return;
            }
            if (key == Empty)
            {
                _keys[slot] = pair;
                _counts[slot] = amount;
                if (++Count * 2 > _keys.Length)
                {
                    Grow();
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Adds every count of <paramref name="other"/>.</summary>
    public void AddAll(PairCounter other)
    {
        for (var i = 0; i < other._keys.Length; i++)
        {
            if (other._keys[i] != Empty)
            {
                Add(other._keys[i], other._counts[i]);
            }
        }
    }

    /// <summary>Calls <paramref name="visit"/> with each pair and its count, in no particular order.</summary>
    public void ForEach<TState>(ref TState state, PairVisitor<TState> visit)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] != Empty)
            {
                visit(ref state, (int)(_keys[i] >> 32), (int)_keys[i], _counts[i]);
            }
        }
    }

    private void Grow()
    {
        var keys = _keys;
        var counts = _counts;
        _keys = new long[keys.Length * 2];
        _counts = new int[keys.Length * 2];
        Array.Fill(_keys, Empty);
        _shift--;
        Count = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != Empty)
            {
                Add(keys[i], counts[i]);
            }
        }
    }
}

/// <summary>Receives one pair of <see cref="PairCounter"/> and its count.</summary>
internal delegate void PairVisitor<TState>(ref TState state, int user1, int user2, int count);
