namespace Cib.Detection.CoActivity;

/// <summary>
/// One piece of <see cref="CoActivityEvidence"/> as a value, for the hot path: an index appends one per
/// co-actor met to a list its caller reuses, and <see cref="PairAggregator"/> reads it in place, where the
/// record cost an object per co-actor that died at once. Grains send the record between them (messages
/// are immutable objects) and convert at that boundary (<see cref="ToEvidence"/>, <see cref="From"/>).
/// </summary>
/// <param name="A">The account that sorts first (ordinal).</param>
/// <param name="B">The other account.</param>
/// <param name="Kind">The co-activity kind.</param>
/// <param name="TargetKey">The target's key (post id, canonical URL, hashtag, text hash).</param>
/// <param name="TicksA">When A acted (UTC ticks).</param>
/// <param name="TicksB">When B acted (UTC ticks).</param>
/// <param name="Crowd">Accounts in the target's window when the later action arrived, itself included.</param>
public readonly record struct EvidenceItem(string A, string B, CoActivityKind Kind, string TargetKey, long TicksA, long TicksB, int Crowd)
{
    /// <summary>Seconds between the two actions.</summary>
    public double GapSeconds => Math.Abs(TicksA - TicksB) / (double)TimeSpan.TicksPerSecond;

    /// <summary>Builds an item with the two accounts in canonical order.</summary>
    public static EvidenceItem Create(string a, long ticksA, string b, long ticksB, CoActivityKind kind, string targetKey, int crowd) =>
        string.CompareOrdinal(a, b) < 0
            ? new(a, b, kind, targetKey, ticksA, ticksB, crowd)
            : new(b, a, kind, targetKey, ticksB, ticksA, crowd);

    /// <summary>The item as the record grains send.</summary>
    public CoActivityEvidence ToEvidence() => new(A, B, Kind, TargetKey, TicksA, TicksB, Crowd);

    /// <summary>The item of a received record.</summary>
    public static EvidenceItem From(CoActivityEvidence e) => new(e.A, e.B, e.Kind, e.TargetKey, e.TicksA, e.TicksB, e.Crowd);
}
