using System.Text.Json;
using System.Text.Json.Serialization;
using Cib.Detection.Networks;

namespace Cib.Detection.Scoring;

/// <summary>
/// Reviewers' decisions about members, learned: a <see cref="SupervisedLayer"/> (L2-regularised logistic
/// regression, see there) over <see cref="MemberFeatures"/>, trained on accounts that reviewers kept in
/// (inauthentic) or took out of (authentic) the networks they decided on, and used to tell which members
/// of a network to put forward. Co-activity over long windows catches spam campaigns together with the
/// ordinary users who shared the same popular link once; the layer keeps the members that look like
/// those reviewers kept. Immutable and thread-safe.
/// </summary>
public sealed class MemberLayer
{
    /// <summary>Probability of inauthentic at or above which a member is kept, by default: high, because a
    /// member put forward wrongly costs an innocent account its reach.</summary>
    public const double DefaultThreshold = 0.8;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private MemberLayer(SupervisedLayer layer, double threshold)
    {
        if (layer.Dimension != MemberFeatures.Names.Count)
        {
            throw new ArgumentException($"a member layer has {MemberFeatures.Names.Count} features, not {layer.Dimension}");
        }
        CheckThreshold(threshold);
        Layer = layer;
        Threshold = threshold;
    }

    /// <summary>The fitted regression, with its cross-validated report at probability 0.5.</summary>
    public SupervisedLayer Layer { get; }

    /// <summary>Probability at or above which <see cref="Keeps"/> holds.</summary>
    public double Threshold { get; }

    /// <summary>Why a set of labels cannot train a layer (too few, or too few of one kind), or null when it can.</summary>
    public static string? RefusalReason(IReadOnlyList<bool> inauthentic) => SupervisedLayer.RefusalReason(inauthentic);

    /// <summary>
    /// Fits the layer on reviewed members: <paramref name="inauthentic"/>[i] is true when reviewers kept
    /// <paramref name="members"/>[i] in a confirmed network, false when they excluded it or dismissed its network.
    /// </summary>
    public static MemberLayer Fit(IReadOnlyList<AccountFeatures> members, IReadOnlyList<bool> inauthentic, double threshold = DefaultThreshold, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(inauthentic);
        CheckThreshold(threshold);
        if (members.Count != inauthentic.Count)
        {
            throw new ArgumentException($"{members.Count} members but {inauthentic.Count} labels", nameof(inauthentic));
        }
        var rows = members.Select(MemberFeatures.Compute).ToList();
        return new MemberLayer(SupervisedLayer.Fit(rows, inauthentic, seed: seed), threshold);
    }

    /// <summary>P(inauthentic | the member's features).</summary>
    public double Probability(AccountFeatures member) => Layer.Probability(MemberFeatures.Compute(member));

    /// <summary>Whether <paramref name="member"/> is put forward: <see cref="Probability"/> ≥ <see cref="Threshold"/>.</summary>
    public bool Keeps(AccountFeatures member) => Probability(member) >= Threshold;

    /// <summary>
    /// Labels from decisions, in the order they were made: members of a confirmed network are inauthentic
    /// except those the reviewer excluded, members of a dismissed network authentic; a later decision about
    /// an account overrides an earlier one. Accounts no decision touched get no label.
    /// </summary>
    public static Dictionary<string, bool> LabelsFromDecisions(IEnumerable<(IReadOnlyCollection<string> Members, bool Confirmed, IReadOnlyCollection<string> Excluded)> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var labels = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (members, confirmed, excluded) in decisions)
        {
            var exclude = excluded as IReadOnlySet<string> ?? excluded.ToHashSet(StringComparer.Ordinal);
            foreach (var account in members)
            {
                labels[account] = confirmed && !exclude.Contains(account);
            }
        }
        return labels;
    }

    /// <summary>The layer as JSON, for the model store.</summary>
    public string ToJson() => JsonSerializer.Serialize(new MemberLayerData(Threshold, [.. MemberFeatures.Names], Layer.ToData()), JsonOptions);

    /// <summary>Reads <see cref="ToJson"/>'s output; throws <see cref="FormatException"/> when it is not a member layer of this version.</summary>
    public static MemberLayer FromJson(string json)
    {
        MemberLayerData? data;
        try
        {
            data = JsonSerializer.Deserialize<MemberLayerData>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a member layer: {e.Message}", e);
        }
        if (data?.Layer is null || data.Features is null)
        {
            throw new FormatException("not a member layer: layer or features missing");
        }
        if (!data.Features.SequenceEqual(MemberFeatures.Names))
        {
            throw new FormatException($"member layer features [{string.Join(", ", data.Features)}] are not this version's [{string.Join(", ", MemberFeatures.Names)}]");
        }
        try
        {
            return new MemberLayer(SupervisedLayer.FromData(data.Layer), data.Threshold);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"not a valid member layer: {e.Message}", e);
        }
    }

    private static void CheckThreshold(double threshold)
    {
        if (double.IsNaN(threshold) || threshold is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the member threshold must be strictly between 0 and 1");
        }
    }
}

/// <summary>A <see cref="MemberLayer"/> as stored.</summary>
/// <param name="Threshold">Its threshold.</param>
/// <param name="Features">The feature names its weights belong to.</param>
/// <param name="Layer">The regression.</param>
public sealed record MemberLayerData(
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("features")] IReadOnlyList<string> Features,
    [property: JsonPropertyName("layer")] SupervisedLayerData Layer);
