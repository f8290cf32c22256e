namespace Cib.Detection.CoActivity;

/// <summary>
/// What co-activity is keyed on: a kind and a normalised key (a post id, a canonical URL, a
/// lower-case hashtag, a hash of normalised text). Two accounts acting on equal targets within the
/// kind's window are co-active.
/// </summary>
public readonly record struct CoActivityTarget(CoActivityKind Kind, string Key)
{
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
