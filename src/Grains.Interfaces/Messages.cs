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

/// <summary>An account's actions from one <see cref="SignalBatch"/> for one co-activity partition (the partition's key).</summary>
public readonly record struct PartitionActions(string Partition, IReadOnlyList<TargetAction> Actions);

/// <summary>
/// The co-activity actions an account grain derived from one <see cref="SignalBatch"/>, by the partition that owns each
/// target, for the signal pump to deliver: it merges them across the accounts of a step, so that each partition gets one
/// call per step rather than one per account.
/// </summary>
[Immutable]
public sealed record RoutedActions(IReadOnlyList<PartitionActions> ByPartition);

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
/// <param name="UnsupervisedScore">The anomaly model's calibrated score, before any supervised layer.</param>
/// <param name="SupervisedProbability">The supervised layer's probability of confirmation, when a layer was trained.</param>
public sealed record ScoreExplanation(string Summary, IReadOnlyList<FeatureExplanation> TopFeatures, double ReconstructionError, double RobustZ,
    double UnsupervisedScore = 0, double? SupervisedProbability = null);

/// <summary>An edge as investigators see it: the pair, its weights and sampled evidence.</summary>
public sealed record EdgeView(string A, string B, int Support, double Weight, double Jaccard, double MeanGapSeconds, IReadOnlyDictionary<string, int> SupportByKind, IReadOnlyList<EvidenceSample> Evidence)
{
    /// <summary>CooRTweet's edge symmetry, min(a, b) / max(a, b) over each account's distinct actions (<see cref="EdgeSummary.Symmetry"/>).</summary>
    public double Symmetry { get; init; } = 1;
}

/// <summary>One row of the network list.</summary>
/// <param name="Id">Network id, stable across sweeps.</param>
/// <param name="Status">active or dormant (<see cref="NetworkStatus"/>).</param>
/// <param name="Size">Accounts.</param>
/// <param name="Score">Calibrated anomaly score in [0, 1].</param>
/// <param name="AboveTakedownThreshold">Whether the score reaches the takedown threshold.</param>
/// <param name="DominantKind">The co-activity kind with the most occasions.</param>
/// <param name="FirstSeen">Earliest evidence.</param>
/// <param name="LastSeen">Latest evidence.</param>
/// <param name="UpdatedAt">When a sweep or decision last changed it.</param>
/// <param name="ModelVersion">The model that scored it.</param>
/// <param name="Review">unreviewed, confirmed, dismissed or escalated (<see cref="ReviewStatus"/>).</param>
/// <param name="RecidivismOf">The actioned network whose evidence pattern this new network took up, if any.</param>
public sealed record NetworkSummary(string Id, string Status, int Size, double Score, bool AboveTakedownThreshold, string DominantKind, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, DateTimeOffset UpdatedAt, string ModelVersion,
    string Review = ReviewStatus.Unreviewed, string? RecidivismOf = null);

/// <summary>Where a network stands with reviewers.</summary>
public static class ReviewStatus
{
    /// <summary>No decision yet.</summary>
    public const string Unreviewed = "unreviewed";

    /// <summary>A reviewer confirmed it: its accounts are actioned.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>A reviewer dismissed it: listed accounts are reinstated and the model does not list it again.</summary>
    public const string Dismissed = "dismissed";

    /// <summary>A reviewer passed it up for a senior decision.</summary>
    public const string Escalated = "escalated";
}

/// <summary>What a reviewer decided about a network.</summary>
/// <param name="Decision">confirm, dismiss or escalate.</param>
/// <param name="Reason">Why (required).</param>
/// <param name="Action">For confirm: remove, label or restrict (default remove).</param>
/// <param name="Include">Accounts to action besides the members.</param>
/// <param name="Exclude">Members not to action (reinstated if listed).</param>
/// <param name="Note">Free text for other reviewers.</param>
public sealed record ReviewRequest(string Decision, string Reason, string? Action = null, IReadOnlyList<string>? Include = null, IReadOnlyList<string>? Exclude = null, string? Note = null);

/// <summary>A stored decision, with who made it and when.</summary>
[Immutable]
public sealed record ReviewDecision(DateTimeOffset At, string Reviewer, string Decision, string Reason, string Action, IReadOnlyList<string> Include, IReadOnlyList<string> Exclude, string? Note);

/// <summary>Known takedown actions.</summary>
public static class TakedownActions
{
    /// <summary>Remove the account.</summary>
    public const string Remove = "remove";

    /// <summary>Keep the account, labelled.</summary>
    public const string Label = "label";

    /// <summary>Limit the account's reach.</summary>
    public const string Restrict = "restrict";

    /// <summary>Undo an earlier action (appeal, reinstatement, dismissal).</summary>
    public const string Reinstate = "reinstate";

    /// <summary>Actions a reviewer may choose.</summary>
    public static readonly IReadOnlyList<string> Chosen = [Remove, Label, Restrict];
}

/// <summary>Account labels set by admins; shown wherever the account appears and counted in reports.</summary>
public static class AccountLabels
{
    /// <summary>State-controlled media.</summary>
    public const string StateControlledMedia = "state-controlled-media";

    /// <summary>Government account.</summary>
    public const string Government = "government";

    /// <summary>Political actor.</summary>
    public const string Political = "political";

    /// <summary>Advertiser.</summary>
    public const string Advertiser = "advertiser";

    /// <summary>Every label.</summary>
    public static readonly IReadOnlyList<string> All = [StateControlledMedia, Government, Political, Advertiser];
}

/// <summary>An explicit, reasoned, approved, expiring exemption of an account or a network from enforcement.</summary>
/// <param name="Id">Exemption id.</param>
/// <param name="Account">The exempted account, or null when a network is exempted.</param>
/// <param name="NetworkId">The exempted network, or null when an account is exempted.</param>
/// <param name="Reason">Why.</param>
/// <param name="Requester">Who asked for it.</param>
/// <param name="Approver">Who approved it (the admin key that recorded it).</param>
/// <param name="CreatedAt">When it was recorded.</param>
/// <param name="ExpiresAt">When it stops applying, by itself.</param>
public sealed record Exemption(string Id, string? Account, string? NetworkId, string Reason, string Requester, string Approver, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether it applies at <paramref name="at"/>.</summary>
    public bool ActiveAt(DateTimeOffset at) => at < ExpiresAt;

    /// <summary>Whether it covers <paramref name="account"/> in <paramref name="network"/>.</summary>
    public bool Covers(string account, string network) => Account == account || NetworkId == network;
}

/// <summary>Request to record an exemption.</summary>
public sealed record ExemptionRequest(string? Account, string? NetworkId, string Reason, string Requester, DateTimeOffset ExpiresAt);

/// <summary>Request to set an account's labels (replacing the old set).</summary>
public sealed record LabelRequest(IReadOnlyList<string> Labels, string Reason);

/// <summary>Labels and exemptions that apply to one account, as shown next to it.</summary>
public sealed record AccountMarks(string Account, IReadOnlyList<string> Labels, IReadOnlyList<Exemption> Exemptions);

/// <summary>All labels and exemptions.</summary>
[Immutable]
public sealed record GovernanceView(IReadOnlyDictionary<string, IReadOnlyList<string>> LabelsOfAccount, IReadOnlyList<Exemption> Exemptions);

/// <summary>An enforcement system's acknowledgement of takedown entries.</summary>
public sealed record AcknowledgeRequest(IReadOnlyList<long> Cursors);

/// <summary>An appeal upheld or a reinstatement: reverses an account's takedown in a network.</summary>
public sealed record ReversalRequest(string Account, string NetworkId, string Reason);

/// <summary>An acknowledgement as stored.</summary>
public sealed record Acknowledgement(string By, DateTimeOffset At);

/// <summary>A network with everything behind its score. <c>Targets</c> are the co-activity targets in
/// its sampled evidence (kind:key); <c>Decisions</c> the reviewers' decisions, oldest first.
/// <c>Marks</c> (labels and exemptions of members) and <c>EvidenceTexts</c> (for co-text evidence, the
/// text behind each text hash, as one member posted it) are filled in when the network is read.
/// <c>Core</c> is the FRAUDAR dense core of its sampled evidence: the members and targets at its heart.</summary>
[Immutable]
public sealed record NetworkSnapshot(
    NetworkSummary Summary,
    IReadOnlyList<string> Members,
    IReadOnlyList<EdgeView> TopEdges,
    int EdgeCount,
    IReadOnlyDictionary<string, double> Features,
    ScoreExplanation Explanation,
    IReadOnlyList<string>? Targets = null,
    IReadOnlyList<ReviewDecision>? Decisions = null,
    IReadOnlyList<AccountMarks>? Marks = null,
    IReadOnlyDictionary<string, string>? EvidenceTexts = null,
    NetworkCore? Core = null)
{
    /// <summary>Each member's probability of being inauthentic under the member layer that the sweep trained
    /// on reviewers' decisions about members (<c>Cib.Detection.Scoring.MemberLayer</c>); null when there was no layer.</summary>
    public IReadOnlyDictionary<string, double>? MemberScores { get; init; }

    /// <summary>The member layer's threshold: members scoring below it are not put on the takedown list by the model.</summary>
    public double? MemberThreshold { get; init; }
}

/// <summary>The network list and who is in which network, as the latest sweep left them.</summary>
[Immutable]
public sealed record NetworkDirectory(IReadOnlyList<NetworkSummary> Networks, IReadOnlyDictionary<string, string> NetworkOfAccount);

/// <summary>An account as investigators see it, with its labels and any exemption (never hidden).</summary>
public sealed record AccountView(AccountFeatures Features, string? NetworkId, IReadOnlyList<string>? Labels = null, IReadOnlyList<Exemption>? Exemptions = null);

/// <summary>One entry of the takedown list. <paramref name="Cursor"/> is monotonic; pass the last one seen as <c>after</c>.</summary>
/// <param name="Cursor">Position in the list.</param>
/// <param name="Kind"><c>takedown</c>, or <c>reversal</c> for an appeal upheld, a reinstatement or a dismissal.</param>
/// <param name="Account">The account.</param>
/// <param name="NetworkId">The network it was actioned for.</param>
/// <param name="Action">remove, label, restrict, or reinstate for reversals.</param>
/// <param name="Score">The network's score when listed.</param>
/// <param name="ModelVersion">The model that scored it.</param>
/// <param name="DecidedBy"><c>model:VERSION</c> for listings above the threshold, or the reviewer's key.</param>
/// <param name="EvidenceSummary">One line on why: size, dominant kind, support.</param>
/// <param name="ListedAt">When.</param>
/// <param name="Reason">The reviewer's or appeal's reason, when given.</param>
/// <param name="Withheld">True when an exemption applies: enforcement must not act; shown so that auditors see it.</param>
/// <param name="ExemptionId">The exemption that withholds it.</param>
/// <param name="Acknowledged">The enforcement system's acknowledgement, once given.</param>
/// <param name="Labels">The account's labels, filled in when the list is read.</param>
public sealed record TakedownEntry(long Cursor, string Kind, string Account, string NetworkId, string Action, double Score, string ModelVersion, string DecidedBy, string EvidenceSummary, DateTimeOffset ListedAt,
    string? Reason = null, bool Withheld = false, string? ExemptionId = null, Acknowledgement? Acknowledged = null, IReadOnlyList<string>? Labels = null);

/// <summary>Kinds of takedown entries.</summary>
public static class TakedownKinds
{
    /// <summary>Act on the account.</summary>
    public const string Takedown = "takedown";

    /// <summary>Undo an earlier takedown.</summary>
    public const string Reversal = "reversal";
}

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
    double CatchUpSeconds = 0,
    SupervisedSummary? Supervised = null)
{
    /// <summary>The member layer trained from reviewers' decisions about members (kept, excluded, dismissed),
    /// with its cross-validated quality; null when no network has been reviewed.</summary>
    public SupervisedSummary? Members { get; init; }

    /// <summary>Members of networks above the threshold that the member layer held back from the takedown list.</summary>
    public int MembersHeldBack { get; init; }
}

/// <summary>The supervised layer a sweep trained from reviewers' decisions, with its cross-validated quality.</summary>
/// <param name="Labels">Decisions it learned from.</param>
/// <param name="Confirmed">Of which confirmations.</param>
/// <param name="Precision">Out-of-fold precision at probability 0.5.</param>
/// <param name="Recall">Out-of-fold recall at probability 0.5.</param>
/// <param name="Auc">Out-of-fold area under the ROC curve.</param>
/// <param name="Refusal">Why no layer was trained (too few decisions), when none was.</param>
public sealed record SupervisedSummary(int Labels, int Confirmed, double Precision, double Recall, double Auc, string? Refusal)
{
    /// <summary>The archived model's version, when one was trained and archived under its own name (the member layer).</summary>
    public string? Version { get; init; }
}

/// <summary>One action in a network's timeline.</summary>
/// <param name="Account">Who.</param>
/// <param name="Time">When.</param>
/// <param name="Kind">What (signal kind).</param>
/// <param name="Target">On what.</param>
/// <param name="OnEvidence">True when the target is one of the network's evidence targets.</param>
public sealed record TimelinePoint(string Account, DateTimeOffset Time, string Kind, string Target, bool OnEvidence);

/// <summary>The actions of a network's members over time, so that synchrony can be seen.</summary>
[Immutable]
public sealed record NetworkTimeline(string NetworkId, IReadOnlyList<string> Members, IReadOnlyList<TimelinePoint> Points, bool Truncated);

/// <summary>A network that acted on a searched target.</summary>
public sealed record TargetHit(string NetworkId, string Status, double Score, int Size, IReadOnlyList<string> Targets);

/// <summary>A fitted network model as archived.</summary>
/// <param name="Version">The model's content-hash version, as attached to scores.</param>
/// <param name="FittedAt">When the sweep that first fitted it ran.</param>
/// <param name="ReferenceRows">Reference groups it was fitted on.</param>
/// <param name="Features">Feature names, in vector order.</param>
/// <param name="Json">The model's parameters (scaler, PCA, isolation forest, calibrators), loadable with <c>NetworkModel.FromJson</c>.</param>
[Immutable]
public sealed record ModelRecord(string Version, DateTimeOffset FittedAt, int ReferenceRows, IReadOnlyList<string> Features, string Json);
