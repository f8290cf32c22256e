using System.Runtime.CompilerServices;
namespace Cib.Detection.Batch;

/// <summary>
/// Least-significant-digit radix sort of unsigned keys whose set bits all lie below a known width:
/// pair keys of a few tens of bits sort in two or three linear passes, where a comparison sort
/// takes about log₂ n passes of unpredictable branches.
/// </summary>
internal static class RadixSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;

    /// <summary>Sorts <paramref name="keys"/> ascending; every key must be below 2^<paramref name="bits"/>.
    /// <paramref name="scratch"/> must be at least as long as <paramref name="keys"/>.</summary>
    public static void Sort(Span<ulong> keys, Span<ulong> scratch, int bits) => Sort(keys, scratch, 0, bits);

    /// <summary>Orders <paramref name="keys"/> by their bits <paramref name="fromBit"/> to
    /// <paramref name="bits"/> − 1 only (stably): keys equal in those bits end up side by side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(Span<ulong> keys, Span<ulong> scratch, int fromBit, int bits)
    {
        if (keys.Length < 256 && fromBit == 0)
        {
            keys.Sort();
            return;
        }
        scratch = scratch[..keys.Length];
        var counts = new int[Buckets];
        var source = keys;
        var target = scratch;
        for (var shift = fromBit; shift < bits; shift += DigitBits)
        {
            Array.Clear(counts);
            foreach (var k in source)
            {
                counts[(int)(k >> shift) & (Buckets - 1)]++;
            }
            var sum = 0;
            for (var b = 0; b < Buckets; b++)
            {
                var c = counts[b];
                counts[b] = sum;
                sum += c;
            }
            foreach (var k in source)
            {
                target[counts[(int)(k >> shift) & (Buckets - 1)]++] = k;
            }
            var swap = source;
            source = target;
            target = swap;
        }
        if (source != keys)
        {
            source.CopyTo(keys);
        }
    }
}
