using System.Globalization;

namespace Cib.Detection.CoActivity;

/// <summary>
/// MinHash over word bigrams with LSH banding, for near-duplicate text at a bounded cost per post
/// (Broder, "On the resemblance and containment of documents", 1997; banding as in Leskovec,
/// Rajaraman and Ullman, "Mining of Massive Datasets", ch. 3). A post's normalised text is cut into
/// its word bigrams; each of <see cref="Slots"/> hash functions keeps its minimum over them, so
/// P(slot values equal) = J, the Jaccard similarity of the two bigram sets, and the share of equal
/// slots Ĵ estimates J (standard error √(J(1 − J)/k) ≤ 0.09). The first b × r slots are grouped
/// into <see cref="Bands"/> bands of <see cref="Rows"/>; each band is a co-activity target, so the
/// windowed index does the join and two texts become candidates with probability
/// 1 − (1 − J^r)^b: 0.90 at J = 0.5, 0.97 at J = 0.6, 0.28 at J = 0.2, 0.08 at J = 0.1. Candidates
/// are then verified on all k slots. Work per post: (bigrams × k) multiply-adds and b short keys,
/// whatever the volume; b is kept small because every band is one more window to keep per post.
/// </summary>
public static class TextSketch
{
    /// <summary>Bands b (targets per post).</summary>
    public const int Bands = 8;

    /// <summary>Rows r per band.</summary>
    public const int Rows = 2;

    /// <summary>Signature slots k (at least b × r): the bands use the first b × r, verification all of them.</summary>
    public const int Slots = 32;

    // Slot j hashes a bigram hash x as the high 32 bits of (x · A_j + B_j) mod 2^64 with A_j odd
    // (multiply-shift, Dietzfelbinger et al. 1997); x is already mixed, so this is a cheap family.
    private static readonly ulong[] Multipliers = Seeds(0x9E3779B97F4A7C15UL, odd: true);
    private static readonly ulong[] Offsets = Seeds(0xD1B54A32D192ED03UL, odd: false);

    /// <summary>
    /// Writes the MinHash signature of <paramref name="normalized"/>'s word bigrams (words split on
    /// single spaces, as <see cref="TextNormalizer"/> leaves them) into <paramref name="signature"/>
    /// (at least <see cref="Slots"/> long) and returns the number of bigrams; with none the signature is
    /// meaningless. Allocates nothing.
    /// </summary>
    public static int Compute(ReadOnlySpan<char> normalized, Span<uint> signature)
    {
        signature[..Slots].Fill(uint.MaxValue);
        var bigrams = 0;
        var previous = 0UL;
        var words = 0;
        var start = 0;
        for (var i = 0; i <= normalized.Length; i++)
        {
            if (i < normalized.Length && normalized[i] != ' ')
            {
                continue;
            }
            if (i > start)
            {
                var word = Fnv(normalized[start..i]);
                if (words++ > 0)
                {
                    var x = Mix((previous * 0x9E3779B97F4A7C15UL) + word);
                    for (var j = 0; j < Slots; j++)
                    {
                        var v = (uint)(((x * Multipliers[j]) + Offsets[j]) >> 32);
                        if (v < signature[j])
                        {
                            signature[j] = v;
                        }
                    }
                    bigrams++;
                }
                previous = word;
            }
            start = i + 1;
        }
        return bigrams;
    }

    /// <summary>The key of band <paramref name="band"/>: its index and a 48-bit hash of its <see cref="Rows"/> values.</summary>
    public static string BandKey(ReadOnlySpan<uint> signature, int band)
    {
        var h = 14695981039346656037UL ^ (ulong)band;
        for (var r = 0; r < Rows; r++)
        {
            h = Mix(h ^ signature[(band * Rows) + r]);
        }
        if ((uint)band >= 16)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{band:x}.{h & 0xFFFF_FFFF_FFFFUL:x12}");
        }
        // "{band:x}.{h mod 2^48:x12}", written by hand: one of these per band of every post.
        return string.Create(14, ((ulong)band << 48) | (h & 0xFFFF_FFFF_FFFFUL), static (chars, packed) =>
        {
            LowerHex.Write(packed >> 48, chars[..1]);
            chars[1] = '.';
            LowerHex.Write(packed, chars[2..]);
        });
    }

    private static ulong Fnv(ReadOnlySpan<char> word)
    {
        var h = 14695981039346656037UL;
        foreach (var c in word)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return h;
    }

    // SplitMix64 finaliser.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }

    private static ulong[] Seeds(ulong seed, bool odd)
    {
        var values = new ulong[Slots];
        var state = seed;
        for (var i = 0; i < Slots; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            values[i] = Mix(state) | (odd ? 1UL : 0UL);
        }
        return values;
    }
}
