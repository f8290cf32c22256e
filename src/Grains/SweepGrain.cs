using System.Diagnostics;
using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Scoring;
using System.Text.Json;
using Cib.Grains.Audit;
using Cib.Grains.Ingest;
using Cib.Grains.Interfaces;
using Cib.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cib.Grains;

/// <summary>Durable state of the sweep.</summary>
public sealed class SweepState
{
    /// <summary>The latest report.</summary>
    public SweepReport? Last { get; set; }
}

/// <summary>
/// The sweep: waits until every acknowledged signal has been applied, gathers the edges and the
/// features of the accounts on them, runs <see cref="NetworkAnalysis"/>, and stores the result:
/// each network in its grain, the directory, and new takedown entries for networks above the
/// threshold. Runs on a durable reminder and on request.
/// </summary>
[GrainType("sweep")]
public sealed partial class SweepGrain(
    [PersistentState("sweep", StorageNames.Detection)] IPersistentState<SweepState> state,
    SignalLog log,
    SignalPump pump,
    AuditLog audit,
    IOptions<CibOptions> options,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    private const string ReminderName = "sweep";
    private readonly CibOptions _options = options.Value;

    /// <inheritdoc />
    public async Task StartAsync() => await RegisterOrUpdateReminder(ReminderName, _options.SweepPeriod, _options.SweepPeriod);

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await SweepAsync();
        }
    }

    /// <inheritdoc />
    public Task<SweepReport?> GetLastReportAsync() => Task.FromResult(state.State.Last);

    /// <inheritdoc />
    public async Task<SweepReport> SweepAsync()
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var head = log.Head;
        await pump.WaitForAsync(head);
        var catchUp = clock.Elapsed.TotalSeconds;
        clock.Restart();

        var detection = _options.Detection;
        var batches = await Task.WhenAll(Enumerable.Range(0, _options.Partitions)
            .Select(p => GrainFactory.GetGrain<IEdgePartitionGrain>(p.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetEdgesAsync(detection.ReferenceMinSupport)));
        var edges = batches.SelectMany(b => b.Edges).ToList();
        var accountIds = edges.SelectMany(e => new[] { e.A, e.B }).Distinct(StringComparer.Ordinal).ToArray();
        var features = await Task.WhenAll(accountIds.Select(a => GrainFactory.GetGrain<IAccountGrain>(a).GetFeaturesAsync()));
        var accounts = features.ToDictionary(f => f.Account, StringComparer.Ordinal);

        var directoryGrain = GrainFactory.GetGrain<INetworkDirectoryGrain>(SweepGrainKeys.Default);
        var previous = await directoryGrain.GetAsync();
        var previousSizes = previous.NetworkOfAccount.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var governance = await GrainFactory.GetGrain<IGovernanceGrain>(SweepGrainKeys.Default).GetAsync();
        var labelled = governance.LabelsOfAccount.Where(kv => kv.Value.Count > 0).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var unsupervised = NetworkAnalysis.Run(edges, accounts, _options.CoActivity, detection, previous.NetworkOfAccount, previousSizes, labelled);
        if (unsupervised.Model is { } fitted)
        {
            // Archived before any score that names it is stored, so every version on a network resolves.
            await GrainFactory.GetGrain<IModelArchiveGrain>(fitted.Version)
                .StoreAsync(new ModelRecord(fitted.Version, started, fitted.ReferenceRows, NetworkFeatures.Names.ToArray(), fitted.ToJson()));
        }
        var reviewed = await ReviewedAsync(previous.Networks);
        var (result, supervised, supervisedVersion) = await ApplySupervisedLayerAsync(unsupervised, reviewed);
        var (memberLayer, memberSummary, excludedBy) = await TrainMemberLayerAsync(reviewed, accounts);
        var unsupervisedScore = unsupervised.Networks.ToDictionary(n => n.Id, n => n.Score.Score, StringComparer.Ordinal);
        var modelVersion = (result.Model?.Version ?? "none") + supervisedVersion;

        var now = DateTimeOffset.UtcNow;
        var summaries = new Dictionary<string, NetworkSummary>(StringComparer.Ordinal);
        foreach (var old in previous.Networks)
        {
            summaries[old.Id] = old;
        }
        var networkOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var takedowns = new List<TakedownEntry>();
        var heldBack = 0;
        var ledger = GrainFactory.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default);
        var actionedTargets = await ActionedTargetsAsync(ledger);
        foreach (var n in result.Networks)
        {
            var before = summaries.GetValueOrDefault(n.Id);
            var snapshot = ToSnapshot(n, result.Model, modelVersion, now, before, unsupervisedScore[n.Id], supervised is { Refusal: null });
            if (memberLayer is not null)
            {
                snapshot = snapshot with
                {
                    MemberScores = n.Cluster.Members.Where(accounts.ContainsKey)
                        .ToDictionary(m => m, m => Math.Round(memberLayer.Probability(accounts[m]), 4), StringComparer.Ordinal),
                    MemberThreshold = memberLayer.Threshold,
                };
            }
            if (before is null && RecidivismOf(snapshot, actionedTargets) is { } earlier)
            {
                snapshot = snapshot with { Summary = snapshot.Summary with { RecidivismOf = earlier } };
                await audit.AppendAsync($"model:{modelVersion}", "network.recidivism", n.Id, JsonSerializer.Serialize(new { actioned = earlier }));
            }
            var stored = await GrainFactory.GetGrain<INetworkGrain>(n.Id).UpdateAsync(snapshot);
            snapshot = snapshot with { Summary = stored };
            summaries[n.Id] = stored;
            var evidence = NetworkGrain.EvidenceSummary(snapshot);
            foreach (var m in n.Cluster.Members)
            {
                networkOf[m] = n.Id;
                // A dismissed network is not listed again by the model, nor a member a reviewer excluded when confirming it;
                // reviewers can still confirm or include them.
                if (snapshot.Summary.AboveTakedownThreshold && snapshot.Summary.Review != ReviewStatus.Dismissed
                    && !(excludedBy.TryGetValue(n.Id, out var excluded) && excluded.Contains(m, StringComparer.Ordinal)))
                {
                    var entry = new TakedownEntry(0, TakedownKinds.Takedown, m, n.Id, TakedownActions.Remove, n.Score.Score, modelVersion, $"model:{modelVersion}", evidence, now);
                    // A member unlike those reviewers kept is left to a reviewer rather than listed by the model, in the open: the
                    // list shows it as withheld with the layer and the probability, the audit log and the transparency report count it.
                    if (snapshot.MemberScores?.GetValueOrDefault(m, 1) is { } p && p < snapshot.MemberThreshold)
                    {
                        heldBack++;
                        entry = entry with
                        {
                            Withheld = true,
                            Reason = $"held back by the member layer {memberSummary?.Version}: probability {p.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} below {snapshot.MemberThreshold.Value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)}",
                        };
                    }
                    takedowns.Add(entry);
                }
            }
        }
        var found = result.Networks.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in summaries.Keys.Where(id => !found.Contains(id)).ToArray())
        {
            if (summaries[id].Status != NetworkStatus.Dormant)
            {
                await GrainFactory.GetGrain<INetworkGrain>(id).MarkDormantAsync(now);
                summaries[id] = summaries[id] with { Status = NetworkStatus.Dormant, UpdatedAt = now };
            }
        }
        var ordered = summaries.Values.OrderByDescending(s => s.Status == NetworkStatus.Active).ThenByDescending(s => s.Score).ThenBy(s => s.Id, StringComparer.Ordinal).ToArray();
        await directoryGrain.ReplaceAsync(new NetworkDirectory(ordered, networkOf));
        var listed = await ledger.AppendAsync(new TakedownBatch(takedowns));

        var report = new SweepReport(started, clock.Elapsed.TotalSeconds, head, edges.Count, result.Edges, result.Networks.Count,
            result.Networks.Count(n => n.Score.Score >= detection.TakedownThreshold), listed, result.ReferenceGroups, modelVersion, catchUp, supervised)
        {
            Members = memberSummary,
            MembersHeldBack = heldBack,
        };
        state.State.Last = report;
        await state.WriteStateAsync();
        LogSwept(logger, report.Networks, report.NetworksAboveThreshold, report.Seconds, head);
        return report;
    }

    private NetworkSnapshot ToSnapshot(ScoredNetwork n, NetworkModel? model, string modelVersion, DateTimeOffset now, NetworkSummary? before, double unsupervisedScore, bool supervised)
    {
        var c = n.Cluster;
        var byKind = new int[CoActivityKinds.Count];
        foreach (var e in c.Edges)
        {
            for (var k = 0; k < byKind.Length; k++)
            {
                byKind[k] += e.Edge.SupportByKind[k];
            }
        }
        var dominant = (CoActivityKind)Array.IndexOf(byKind, byKind.Max());
        var summary = new NetworkSummary(n.Id, NetworkStatus.Active, c.Members.Count, n.Score.Score,
            n.Score.Score >= _options.Detection.TakedownThreshold, dominant.ToWire(),
            before is null ? c.FirstSeen : Min(before.FirstSeen, c.FirstSeen), c.LastSeen, now, modelVersion,
            before?.Review ?? ReviewStatus.Unreviewed, before?.RecidivismOf);
        var features = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < NetworkFeatures.Count; i++)
        {
            features[NetworkFeatures.Names[i]] = c.Features[i];
        }
        var top = n.Score.Contributions
            .Select((share, i) => new FeatureExplanation(NetworkFeatures.Names[i], c.Features[i], model?.ReferenceMedians[i] ?? 0, share))
            .OrderByDescending(f => f.Share).Take(3).ToArray();
        var explanation = new ScoreExplanation(Explain(n, top, c), top, n.Score.ReconstructionError, n.Score.RobustZ,
            unsupervisedScore, supervised ? n.Score.Score : null);
        var edges = c.Edges.Take(_options.TopEdgesPerNetwork).Select(e => new EdgeView(
            e.Edge.A, e.Edge.B, e.Edge.Support, e.Edge.Weight, e.Jaccard, e.Edge.MeanGapSeconds,
            e.Edge.SupportByKind.Select((s, k) => (s, k)).Where(x => x.s > 0).ToDictionary(x => ((CoActivityKind)x.k).ToWire(), x => x.s),
            e.Edge.Samples) { Symmetry = e.Edge.Symmetry }).ToArray();
        var targets = c.Edges.SelectMany(e => e.Edge.Samples).Select(x => $"{x.Kind.ToWire()}:{x.TargetKey}")
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxTargetsPerNetwork).ToArray();
        return new NetworkSnapshot(summary, c.Members, edges, c.Edges.Count, features, explanation, targets, Core: n.Core);
    }

    /// <summary>
    /// Trains the supervised layer on the networks reviewers confirmed or dismissed (their stored
    /// features, plus the anomaly score as one more input) once there are enough decisions of each
    /// kind, and replaces every network's score with the layer's probability of confirmation;
    /// otherwise scores stay as the anomaly model gave them. The unsupervised score is kept in each
    /// explanation either way.
    /// </summary>
    private async Task<(AnalysisResult Result, SupervisedSummary? Summary, string VersionSuffix)> ApplySupervisedLayerAsync(AnalysisResult result,
        IReadOnlyList<(NetworkSummary Summary, NetworkSnapshot Network)> reviewed)
    {
        var rows = new List<double[]>();
        var confirmed = new List<bool>();
        foreach (var (s, n) in reviewed)
        {
            var features = NetworkFeatures.Names.Select(f => n.Features.GetValueOrDefault(f)).ToArray();
            rows.Add(SupervisedLayer.WithUnsupervisedScore(features, n.Explanation.UnsupervisedScore));
            confirmed.Add(s.Review == ReviewStatus.Confirmed);
        }
        if (rows.Count == 0)
        {
            return (result, null, "");
        }
        if (SupervisedLayer.RefusalReason(confirmed) is { } refusal)
        {
            return (result, new SupervisedSummary(rows.Count, confirmed.Count(c => c), 0, 0, 0, refusal), "");
        }
        var layer = SupervisedLayer.Fit(rows, confirmed, seed: _options.Detection.Seed);
        var rescored = result.Networks
            .Select(n => n with { Score = n.Score with { Score = SupervisedLayer.Blend(layer, n.Cluster.Features.ToArray(), n.Score.Score) } })
            .OrderByDescending(n => n.Score.Score).ThenBy(n => n.Id, StringComparer.Ordinal)
            .ToList();
        var r = layer.Report;
        var json = layer.ToJson();
        var supervisedVersion = VersionOf("sup-1:", json);
        await GrainFactory.GetGrain<IModelArchiveGrain>(supervisedVersion)
            .StoreAsync(new ModelRecord(supervisedVersion, DateTimeOffset.UtcNow, r.Count, [.. NetworkFeatures.Names, "unsupervised_score"], json));
        var version = "+" + supervisedVersion;
        return (result with { Networks = rescored }, new SupervisedSummary(r.Count, r.Confirmed, r.Precision, r.Recall, r.Auc, null), version);
    }

    /// <summary>
    /// Trains the member layer (<see cref="MemberLayer"/>) on reviewers' decisions about members: in each confirmed
    /// or dismissed network, by its latest such decision, members and included accounts of a confirmation are
    /// inauthentic except the excluded ones, members of a dismissal authentic; a later decision about an account
    /// overrides an earlier one. Also gives, per confirmed network, the members its latest decision excluded. Null, with the reason in the summary,
    /// while there are too few labels of either kind; null without a summary when nothing has been reviewed.
    /// The layer is archived like the other models.
    /// </summary>
    private async Task<(MemberLayer? Layer, SupervisedSummary? Summary, Dictionary<string, IReadOnlyList<string>> ExcludedBy)> TrainMemberLayerAsync(
        IReadOnlyList<(NetworkSummary Summary, NetworkSnapshot Network)> reviewed, Dictionary<string, AccountFeatures> accounts)
    {
        var decisions = new List<(DateTimeOffset At, (IReadOnlyCollection<string>, bool, IReadOnlyCollection<string>) Decision)>();
        var excludedBy = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (s, n) in reviewed)
        {
            if (n.Decisions?.LastOrDefault(d => d.Decision is "confirm" or "dismiss") is not { } d)
            {
                continue;
            }
            var confirmed = d.Decision == "confirm";
            decisions.Add((d.At, ([.. n.Members.Concat(confirmed ? d.Include : []).Distinct(StringComparer.Ordinal)], confirmed, d.Exclude)));
            if (confirmed && d.Exclude.Count > 0)
            {
                excludedBy[s.Id] = d.Exclude;
            }
        }
        if (decisions.Count == 0)
        {
            return (null, null, excludedBy);
        }
        // In the order they were made, so that a later decision about an account overrides an earlier one.
        var labels = MemberLayer.LabelsFromDecisions(decisions.OrderBy(x => x.At).Select(x => x.Decision));
        var members = labels.Keys.Order(StringComparer.Ordinal).ToList();
        var features = new List<AccountFeatures>(members.Count);
        foreach (var m in members)
        {
            features.Add(accounts.TryGetValue(m, out var f) ? f : await GrainFactory.GetGrain<IAccountGrain>(m).GetFeaturesAsync());
        }
        var truth = members.Select(m => labels[m]).ToList();
        if (MemberLayer.RefusalReason(truth) is { } refusal)
        {
            return (null, new SupervisedSummary(truth.Count, truth.Count(t => t), 0, 0, 0, refusal), excludedBy);
        }
        var layer = MemberLayer.Fit(features, truth, seed: _options.Detection.Seed);
        var json = layer.ToJson();
        var version = VersionOf("member-1:", json);
        await GrainFactory.GetGrain<IModelArchiveGrain>(version)
            .StoreAsync(new ModelRecord(version, DateTimeOffset.UtcNow, truth.Count, [.. MemberFeatures.Names], json));
        var r = layer.Layer.Report;
        return (layer, new SupervisedSummary(r.Count, r.Confirmed, r.Precision, r.Recall, r.Auc, null) { Version = version }, excludedBy);
    }

    /// <summary>The networks reviewers confirmed or dismissed, with their stored snapshots (decisions included), read once
    /// per sweep for both supervised layers.</summary>
    private async Task<List<(NetworkSummary Summary, NetworkSnapshot Network)>> ReviewedAsync(IReadOnlyList<NetworkSummary> known)
    {
        var reviewed = new List<(NetworkSummary, NetworkSnapshot)>();
        foreach (var s in known.Where(s => s.Review is ReviewStatus.Confirmed or ReviewStatus.Dismissed))
        {
            if (await GrainFactory.GetGrain<INetworkGrain>(s.Id).GetAsync() is { } n)
            {
                reviewed.Add((s, n));
            }
        }
        return reviewed;
    }

    /// <summary>An archived layer's version: its prefix and the first 8 hex digits of the SHA-256 of its JSON.</summary>
    private static string VersionOf(string prefix, string json) =>
        prefix + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)))[..8];

    /// <summary>Evidence targets kept per network, for recidivism and target search.</summary>
    private const int MaxTargetsPerNetwork = 500;

    /// <summary>A new network that shares at least this share of its evidence targets with an actioned network is its return.</summary>
    public const double RecidivismOverlap = 0.3;

    private async Task<Dictionary<string, HashSet<string>>> ActionedTargetsAsync(ITakedownLedgerGrain ledger)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var id in await ledger.ActionedNetworksAsync())
        {
            if (await GrainFactory.GetGrain<INetworkGrain>(id).GetAsync() is { Targets: { } t })
            {
                result[id] = t.ToHashSet(StringComparer.Ordinal);
            }
        }
        return result;
    }

    private static string? RecidivismOf(NetworkSnapshot snapshot, Dictionary<string, HashSet<string>> actioned)
    {
        var targets = snapshot.Targets ?? [];
        if (targets.Count == 0)
        {
            return null;
        }
        return actioned
            .Select(kv => (Id: kv.Key, Overlap: targets.Count(kv.Value.Contains) / (double)targets.Count))
            .Where(x => x.Overlap >= RecidivismOverlap)
            .OrderByDescending(x => x.Overlap).ThenBy(x => x.Id, StringComparer.Ordinal)
            .Select(x => x.Id).FirstOrDefault();
    }

    private static string Explain(ScoredNetwork n, FeatureExplanation[] top, Cluster c) =>
        $"{c.Members.Count} accounts joined by {c.Edges.Count} edges; score {n.Score.Score:F3} (robust z {n.Score.RobustZ:F1}) driven by " +
        string.Join(", ", top.Select(f => $"{f.Name} {f.Value:G3} vs {f.ReferenceMedian:G3} typical ({f.Share:P0})"));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep found {Networks} networks ({Above} above the takedown threshold) in {Seconds:F2} s over {Signals} signals")]
    private static partial void LogSwept(ILogger logger, int networks, int above, double seconds, long signals);
}
