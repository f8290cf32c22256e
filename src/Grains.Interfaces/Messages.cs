using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Signals;
using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>Signals of one account, in log order, with the log sequence number of each.</summary>
[Immutable]
public sealed record SignalBatch(IReadOnlyList<Signal> Signals, IReadOnlyList<long> Sequence);

/// <summary>One action on a co-activity target, as an account grain forwards it.</summary>
public readonly record struct TargetAction(string Account, CoActivityTarget Target, long Ticks);

/// <summary>Actions for one co-activity partition.</summary>
[Immutable]
public sealed record ActionBatch(IReadOnlyList<TargetAction> Actions);

/// <summary>Evidence for one edge partition.</summary>
[Immutable]
public sealed record EvidenceBatch(IReadOnlyList<CoActivityEvidence> Evidence);

/// <summary>Edges of one edge partition.</summary>
[Immutable]
public sealed record EdgeBatch(IReadOnlyList<EdgeSummary> Edges, int PairsHeld);

/// <summary>Network lifecycle: active when the latest sweep found it, dormant when it did not.</summary>
public static class NetworkStatus
{
    /// <summary>Found by the latest sweep.</summary>
    public const string Active = "active";

    /// <summary>Found before, not by the latest sweep.</summary>
    public const string Dormant = "dormant";
}

/// <summary>A feature of a network with its value, the reference median, and its share of the anomaly.</summary>
public sealed record FeatureExplanation(string Name, double Value, double ReferenceMedian, double Share);

/// <summary>Why a network scored what it scored.</summary>
/// <param name="Summary">One sentence for people.</param>
/// <param name="TopFeatures">The features that drove the score, largest share first.</param>
/// <param name="ReconstructionError">The model's raw score.</param>
/// <param name="RobustZ">(error − reference median) / (1.4826 · reference MAD).</param>
public sealed record ScoreExplanation(string Summary, IReadOnlyList<FeatureExplanation> TopFeatures, double ReconstructionError, double RobustZ);

/// <summary>An edge as investigators see it: the pair, its weights and sampled evidence.</summary>
public sealed record EdgeView(string A, string B, int Support, double Weight, double Jaccard, double MeanGapSeconds, IReadOnlyDictionary<string, int> SupportByKind, IReadOnlyList<EvidenceSample> Evidence);

/// <summary>One row of the network list.</summary>
public sealed record NetworkSummary(string Id, string Status, int Size, double Score, bool AboveTakedownThreshold, string DominantKind, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, DateTimeOffset UpdatedAt, string ModelVersion);

/// <summary>A network with everything behind its score.</summary>
[Immutable]
public sealed record NetworkSnapshot(
    NetworkSummary Summary,
    IReadOnlyList<string> Members,
    IReadOnlyList<EdgeView> TopEdges,
    int EdgeCount,
    IReadOnlyDictionary<string, double> Features,
    ScoreExplanation Explanation);

/// <summary>The network list and who is in which network, as the latest sweep left them.</summary>
[Immutable]
public sealed record NetworkDirectory(IReadOnlyList<NetworkSummary> Networks, IReadOnlyDictionary<string, string> NetworkOfAccount);

/// <summary>An account as investigators see it.</summary>
public sealed record AccountView(AccountFeatures Features, string? NetworkId);

/// <summary>One entry of the takedown list. <paramref name="Cursor"/> is monotonic; pass the last one seen as <c>after</c>.</summary>
public sealed record TakedownEntry(long Cursor, string Account, string NetworkId, double Score, string ModelVersion, string Action, DateTimeOffset ListedAt);

/// <summary>Entries to append to the takedown list (cursors are assigned by the ledger).</summary>
[Immutable]
public sealed record TakedownBatch(IReadOnlyList<TakedownEntry> Entries);

/// <summary>A page of the takedown list; <paramref name="NextCursor"/> is the cursor to pass next time.</summary>
[Immutable]
public sealed record TakedownPage(IReadOnlyList<TakedownEntry> Entries, long NextCursor);

/// <summary>What a sweep did. <c>Seconds</c> is the analysis itself; <c>CatchUpSeconds</c> the wait,
/// before it, for signals acknowledged but not yet applied.</summary>
public sealed record SweepReport(
    DateTimeOffset StartedAt,
    double Seconds,
    long SignalsProcessed,
    int CandidatePairs,
    int Edges,
    int Networks,
    int NetworksAboveThreshold,
    int NewTakedownEntries,
    int ReferenceGroups,
    string ModelVersion,
    double CatchUpSeconds = 0);
