using System.Diagnostics;
using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;
using Cib.Detection.Scoring;

namespace Cib.Detection.Evaluation;

/// <summary>
/// Measures detection with reviewers in the loop: the networks go to review, reviewers' decisions train a
/// <see cref="MemberLayer"/>, and the layer chooses which members of the networks it has not seen to put
/// forward. Measured by k-fold cross-validation over networks, so no account is ever judged by a layer
/// trained on its own label.
/// </summary>
/// <remarks>
/// <para>The reviewer is simulated from the ground truth: a network with at least one inauthentic member
/// is confirmed with its organic members excluded, any other network dismissed
/// (<see cref="MemberLayer.LabelsFromDecisions"/> turns that into one label per member). That is a
/// careful reviewer; a sloppier one would train a worse layer.</para>
/// <para>Networks at or above the takedown threshold are dealt into k folds in a seeded random order. For
/// each fold, a layer is fitted on the members of the other folds' networks and keeps, in each network
/// of the fold, the members with P(inauthentic) ≥ the layer's threshold; a network left with fewer than
/// two members is not put forward. The kept networks of all folds are measured together as
/// <see cref="DetectionEvaluator.Measure"/> does.</para>
/// </remarks>
public static class ReviewedMembersEvaluator
{
    /// <summary>Folds by default.</summary>
    public const int DefaultFolds = 5;

    /// <summary>Runs the pipeline on <paramref name="data"/> and measures the reviewed networks.</summary>
    public static EvaluationReport Evaluate(LabelledDataset data, CoActivityOptions windows, DetectionOptions detection,
        int folds = DefaultFolds, double threshold = MemberLayer.DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "cross-validation needs at least 2 folds");
        }
        var clock = Stopwatch.StartNew();
        var result = InProcessPipeline.Run(data.Signals, windows, detection);
        var candidates = result.Analysis.Networks
            .Where(n => n.Score.Score >= detection.TakedownThreshold)
            .Select(n => n.Cluster.Members)
            .ToList();
        var kept = Review(data, candidates, result.Accounts, folds, threshold, detection.Seed);
        clock.Stop();
        return DetectionEvaluator.Measure(data, kept, result.Analysis.Networks.Count, clock.Elapsed) with
        {
            Windows = Enum.GetValues<CoActivityKind>().ToDictionary(k => k, result.Windows.WindowFor),
        };
    }

    /// <summary>
    /// The cross-validated review of <paramref name="networks"/> (disjoint member lists): the members each
    /// fold's layer keeps, per network, networks left with fewer than two members dropped.
    /// </summary>
    public static List<IReadOnlyList<string>> Review(LabelledDataset data, IReadOnlyList<IReadOnlyList<string>> networks,
        IReadOnlyDictionary<string, AccountFeatures> accounts, int folds, double threshold, int seed)
    {
        var order = Enumerable.Range(0, networks.Count).ToArray();
        new Random(seed).Shuffle(order);
        var foldOf = new int[networks.Count];
        for (var i = 0; i < order.Length; i++)
        {
            foldOf[order[i]] = i % folds;
        }
        var kept = new List<IReadOnlyList<string>>();
        for (var fold = 0; fold < folds; fold++)
        {
            var decisions = Enumerable.Range(0, networks.Count)
                .Where(n => foldOf[n] != fold)
                .Select(n => SimulatedDecision(data, networks[n]));
            var labels = MemberLayer.LabelsFromDecisions(decisions);
            var members = labels.Keys.Where(accounts.ContainsKey).ToList();
            var truth = members.Select(a => labels[a]).ToList();
            if (MemberLayer.RefusalReason(truth) is { } reason)
            {
                throw new InvalidOperationException($"fold {fold + 1} of {folds} cannot train a member layer: {reason}");
            }
            var layer = MemberLayer.Fit([.. members.Select(a => accounts[a])], truth, threshold, seed);
            for (var n = 0; n < networks.Count; n++)
            {
                if (foldOf[n] != fold)
                {
                    continue;
                }
                var put = networks[n].Where(a => accounts.TryGetValue(a, out var f) && layer.Keeps(f)).ToList();
                if (put.Count >= 2)
                {
                    kept.Add(put);
                }
            }
        }
        return kept;
    }

    private static (IReadOnlyCollection<string>, bool, IReadOnlyCollection<string>) SimulatedDecision(LabelledDataset data, IReadOnlyList<string> members)
    {
        var organic = members.Where(a => !data.GroupOf.ContainsKey(a)).ToList();
        return (members, organic.Count < members.Count, organic);
    }
}
