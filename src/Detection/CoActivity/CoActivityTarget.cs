namespace Cib.Detection.CoActivity;

/// <summary>
/// What co-activity is keyed on: a kind and a normalised key (a post id, a canonical URL, a
/// lower-case hashtag, a hash of normalised text, an LSH band of a text, a block of a perceptual
/// hash). Two accounts acting on equal targets within the kind's window are co-active; for a target
/// with a <see cref="Sketch"/> (near-duplicate text, media) that only makes them candidates, and the
/// sketches must match too. Equality and hashing use the kind and the key only.
/// </summary>
public readonly record struct CoActivityTarget(CoActivityKind Kind, string Key)
{
    /// <summary>What the target is: fixed at construction (no <c>with</c>), because the hash is computed from it.</summary>
    public CoActivityKind Kind { get; } = Kind;

    /// <summary>The normalised key; fixed at construction, like <see cref="Kind"/>.</summary>
    public string Key { get; } = Key;

    // Hashed once, where the target is made (in the pipeline: on the extraction worker, off the windows' thread), instead
    // of at every dictionary probe of the windows: adding a window, finding it and evicting it each hashed the key again.
    private readonly int _hash = HashCode.Combine(Kind, Key);

    /// <summary>For a similarity target, what verifies a candidate pair; null for exact targets.</summary>
    public ContentSketch? Sketch { get; init; }

    /// <summary>For a similarity target, which band or block of the item it is (0-based); 0 otherwise.</summary>
    public int Part { get; init; }

    /// <summary>Equal when kind and key are equal; the sketch is payload, not identity.</summary>
    public bool Equals(CoActivityTarget other) =>
        _hash == other._hash && Kind == other.Kind && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>A stable string form, <c>co-link:https://example.org/a</c>.</summary>
    public override string ToString() => $"{Kind.ToWire()}:{Key}";

    /// <summary>A stable 64-bit hash (FNV-1a over kind and key), used to partition targets; stable across processes.</summary>
    public ulong StableHash()
    {
        var h = 14695981039346656037UL;
        h = (h ^ (ulong)Kind) * 1099511628211UL;
        foreach (var c in Key)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return h;
    }
}
