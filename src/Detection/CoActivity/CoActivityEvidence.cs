namespace Cib.Detection.CoActivity;

/// <summary>
/// One observation that accounts <paramref name="A"/> and <paramref name="B"/> (ordinal order,
/// A &lt; B) acted on the same target within its window: the message grains send. In one process the
/// value <see cref="EvidenceItem"/> carries the same fields without an object each.
/// </summary>
/// <param name="A">The account that sorts first.</param>
/// <param name="B">The other account.</param>
/// <param name="Kind">The co-activity kind.</param>
/// <param name="TargetKey">The target's key (post id, canonical URL, hashtag, text hash).</param>
/// <param name="TicksA">When A acted (UTC ticks).</param>
/// <param name="TicksB">When B acted (UTC ticks).</param>
/// <param name="Crowd">Accounts in the target's window when the later action arrived, itself included:
/// the local popularity that <see cref="PairAggregator"/> discounts.</param>
public sealed record CoActivityEvidence(string A, string B, CoActivityKind Kind, string TargetKey, long TicksA, long TicksB, int Crowd)
{
    /// <summary>Seconds between the two actions.</summary>
    public double GapSeconds => Math.Abs(TicksA - TicksB) / (double)TimeSpan.TicksPerSecond;

    /// <summary>Builds evidence with the two accounts in canonical order.</summary>
    public static CoActivityEvidence Create(string a, long ticksA, string b, long ticksB, CoActivityKind kind, string targetKey, int crowd) =>
        EvidenceItem.Create(a, ticksA, b, ticksB, kind, targetKey, crowd).ToEvidence();
}
