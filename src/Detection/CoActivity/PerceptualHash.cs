using System.Globalization;
using System.Numerics;

namespace Cib.Detection.CoActivity;

/// <summary>
/// 64-bit perceptual hashes of media (pHash, dHash and the like, computed by the platform and sent as
/// the signal's fingerprint) matched within a Hamming distance d by multi-index hashing (Norouzi, Punjani
/// and Fleet, "Fast search in Hamming space with multi-index hashing", CVPR 2012): the hash is split into
/// m = d + 1 disjoint blocks and each block is a co-activity target; by the pigeonhole principle two
/// hashes within distance d agree on at least one block, so every match is a candidate, and candidates
/// are verified by popcount(a XOR b) ≤ d.
/// </summary>
public static class PerceptualHash
{
    /// <summary>
    /// Reads a fingerprint that is a perceptual hash: exactly 16 hex digits, optionally after <c>0x</c>.
    /// Anything else (a SHA-256, a platform's opaque id) is not one and only counts as an exact fingerprint.
    /// </summary>
    public static bool TryParse(string? fingerprint, out ulong hash)
    {
        hash = 0;
        if (fingerprint is null)
        {
            return false;
        }
        var span = fingerprint.AsSpan().Trim();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            span = span[2..];
        }
        return span.Length == 16 && ulong.TryParse(span, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash);
    }

    /// <summary>Bits in which two hashes differ.</summary>
    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    /// <summary>
    /// The key of block <paramref name="block"/> of <paramref name="blocks"/>: block i covers bits
    /// [⌊64 i / m⌋, ⌊64 (i + 1) / m⌋).
    /// </summary>
    public static string BlockKey(ulong hash, int block, int blocks)
    {
        var (from, to) = Block(block, blocks);
        var width = to - from;
        var value = (hash >> from) & (width == 64 ? ulong.MaxValue : (1UL << width) - 1);
        return string.Create(CultureInfo.InvariantCulture, $"{block:x}.{value:x}");
    }

    /// <summary>The bits [from, to) of block <paramref name="block"/> of <paramref name="blocks"/>.</summary>
    public static (int From, int To) Block(int block, int blocks) => (64 * block / blocks, 64 * (block + 1) / blocks);
}
