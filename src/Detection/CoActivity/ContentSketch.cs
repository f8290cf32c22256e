using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;

namespace Cib.Detection.CoActivity;

/// <summary>
/// What a similarity target (one LSH band of a text, one block of a perceptual hash) carries so that
/// the window can verify a candidate pair: sharing a band or a block only makes two items candidates,
/// and only a verified pair becomes evidence. One instance is shared by all the band or block targets
/// of one item; it never changes after it is built.
/// </summary>
/// <param name="Hash">The item's own hash as 16 hex digits: the co-text key of the normalised text, or
/// the perceptual hash itself.</param>
/// <param name="Signature">The MinHash signature of a text (<see cref="TextSketch.Slots"/> values), empty for media.</param>
/// <param name="Perceptual">The 64-bit perceptual hash of media, 0 for a text.</param>
/// <param name="MinSimilarity">For a text: the least estimated Jaccard similarity that is a match.</param>
/// <param name="MaxDistance">For media: the most differing bits that are a match.</param>
public sealed record ContentSketch(string Hash, ImmutableArray<uint> Signature, ulong Perceptual, double MinSimilarity, int MaxDistance)
{
    /// <summary>True for a text's sketch, false for media.</summary>
    public bool IsText => !Signature.IsDefaultOrEmpty;

    /// <summary>
    /// Whether <paramref name="other"/> is a near duplicate. Texts: Ĵ = (slots with equal values) / slots ≥
    /// <see cref="MinSimilarity"/>, the MinHash estimate of the Jaccard similarity of the two bigram sets
    /// (Broder 1997). Media: 0 &lt; popcount(h_a XOR h_b) ≤ <see cref="MaxDistance"/>. Identical items
    /// (equal <see cref="Hash"/>, distance 0) are not near duplicates: co-text and co-fingerprint count them.
    /// </summary>
    public bool Matches(ContentSketch other)
    {
        if (IsText != other.IsText || string.Equals(Hash, other.Hash, StringComparison.Ordinal))
        {
            return false;
        }
        return IsText ? Similarity(other) >= MinSimilarity : PerceptualHash.Distance(Perceptual, other.Perceptual) is var d && d > 0 && d <= MaxDistance;
    }

    /// <summary>
    /// Whether the two items agree on a band or block before <paramref name="part"/>. Near duplicates
    /// usually share several bands; reporting a verified pair only on the first one it shares makes it
    /// evidence once, not once per band, with no state kept to remember it.
    /// </summary>
    public bool SharesEarlierPart(ContentSketch other, int part)
    {
        for (var earlier = 0; earlier < part; earlier++)
        {
            if (AgreesOn(other, earlier))
            {
                return true;
            }
        }
        return false;
    }

    private bool AgreesOn(ContentSketch other, int part)
    {
        if (IsText)
        {
            var a = Signature.AsSpan(part * TextSketch.Rows, TextSketch.Rows);
            var b = other.Signature.AsSpan(part * TextSketch.Rows, TextSketch.Rows);
            return a.SequenceEqual(b);
        }
        var (from, to) = PerceptualHash.Block(part, MaxDistance + 1);
        var mask = (to - from == 64 ? ulong.MaxValue : (1UL << (to - from)) - 1) << from;
        return ((Perceptual ^ other.Perceptual) & mask) == 0;
    }

    /// <summary>Ĵ for texts (share of equal signature slots); 1 − d/64 for media.</summary>
    public double Similarity(ContentSketch other)
    {
        if (!IsText)
        {
            return 1 - (PerceptualHash.Distance(Perceptual, other.Perceptual) / 64.0);
        }
        var a = Signature.AsSpan();
        var b = other.Signature.AsSpan();
        var n = Math.Min(a.Length, b.Length);
        var equal = 0;
        for (var i = 0; i < n; i++)
        {
            equal += a[i] == b[i] ? 1 : 0;
        }
        return n == 0 ? 0 : equal / (double)n;
    }

    /// <summary>
    /// The evidence target of a verified pair, the same whichever item arrives first:
    /// <c>HASH_LOW~HASH_HIGH~j0.73</c> for texts (Ĵ), <c>HASH_LOW~HASH_HIGH~d3</c> for media (bits differing).
    /// Keyed on the pair of items, so the several bands or blocks two items share make one occasion.
    /// </summary>
    public string EvidenceKey(ContentSketch other)
    {
        var (lo, hi) = string.CompareOrdinal(Hash, other.Hash) <= 0 ? (Hash, other.Hash) : (other.Hash, Hash);
        return IsText
            ? string.Create(CultureInfo.InvariantCulture, $"{lo}~{hi}~j{Similarity(other):0.00}")
            : string.Create(CultureInfo.InvariantCulture, $"{lo}~{hi}~d{BitOperations.PopCount(Perceptual ^ other.Perceptual)}");
    }
}
