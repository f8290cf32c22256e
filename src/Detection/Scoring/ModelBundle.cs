using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cib.Detection.Scoring;

/// <summary>
/// Everything <see cref="EnsembleScorer"/> needs, persisted as one JSON document: the feature scaler,
/// the PCA model, the isolation forest and the two score calibrators, with a version that is the hash
/// of that content, so a score can be traced to the exact model that produced it. Two bundles are
/// equal when their versions are. Immutable; build one with <see cref="Create"/> or load one with
/// <see cref="FromJson"/>.
/// </summary>
public sealed record ModelBundle
{
    /// <summary>The <see cref="ModelBundleData.FormatVersion"/> this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Prefix of <see cref="Version"/>, naming the ensemble's scoring scheme.</summary>
    public const string VersionPrefix = "ens-1:";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private ModelBundle(FeatureScaler scaler, PcaModel pca, IsolationForestModel forest, ScoreCalibrator pcaCalibrator,
        ScoreCalibrator forestCalibrator, ModelBundleData content)
    {
        Scaler = scaler;
        Pca = pca;
        Forest = forest;
        PcaCalibrator = pcaCalibrator;
        ForestCalibrator = forestCalibrator;
        Version = HashOf(content);
    }

    /// <summary>Standardises raw features before both models.</summary>
    public FeatureScaler Scaler { get; }

    /// <summary>The PCA model; its raw score is the residual norm ‖r‖ = √<see cref="PcaModel.SquaredResidual"/>.</summary>
    public PcaModel Pca { get; }

    /// <summary>The isolation forest; its raw score is <see cref="IsolationForestModel.Score"/>.</summary>
    public IsolationForestModel Forest { get; }

    /// <summary>Calibrates ‖r‖ against the reference.</summary>
    public ScoreCalibrator PcaCalibrator { get; }

    /// <summary>Calibrates the forest score against the reference.</summary>
    public ScoreCalibrator ForestCalibrator { get; }

    /// <summary>
    /// <see cref="VersionPrefix"/> followed by the first 8 hex digits of the SHA-256 of the bundle's
    /// JSON with the version left null: the same parameters always give the same version, and any
    /// change to any of them gives another (but for a 2⁻³² collision).
    /// </summary>
    public string Version { get; }

    /// <summary>Number of raw features.</summary>
    public int Dimension => Scaler.Dimension;

    /// <summary>Bundles fitted parts; all must have the same number of features.</summary>
    /// <exception cref="ArgumentException">The parts disagree on the number of features.</exception>
    public static ModelBundle Create(FeatureScaler scaler, PcaModel pca, IsolationForestModel forest, ScoreCalibrator pcaCalibrator,
        ScoreCalibrator forestCalibrator)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        ArgumentNullException.ThrowIfNull(pca);
        ArgumentNullException.ThrowIfNull(forest);
        ArgumentNullException.ThrowIfNull(pcaCalibrator);
        ArgumentNullException.ThrowIfNull(forestCalibrator);
        if (pca.Dimension != scaler.Dimension || forest.Dimension != scaler.Dimension)
        {
            throw new ArgumentException($"bundle parts disagree on the number of features: scaler {scaler.Dimension}, PCA {pca.Dimension}, forest {forest.Dimension}");
        }
        return new ModelBundle(scaler, pca, forest, pcaCalibrator, forestCalibrator,
            Content(scaler, pca, forest, pcaCalibrator, forestCalibrator));
    }

    /// <summary>The bundle as plain data, version included.</summary>
    public ModelBundleData ToData() => Content(Scaler, Pca, Forest, PcaCalibrator, ForestCalibrator) with { Version = Version };

    /// <summary>Rebuilds a bundle from stored data, checking every part and that the stored version
    /// matches the content.</summary>
    /// <exception cref="ArgumentException">Unknown format version, an inconsistent part, or a version
    /// that does not match the content (the document was edited or corrupted).</exception>
    public static ModelBundle FromData(ModelBundleData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FormatVersion != CurrentFormatVersion)
        {
            throw new ArgumentException($"model bundle format version {data.FormatVersion} is not supported (this code reads {CurrentFormatVersion})");
        }
        if (data.ScalerMeans is null || data.ScalerStandardDeviations is null || data.Pca is null || data.Forest is null
            || data.PcaCalibrator is null || data.ForestCalibrator is null)
        {
            throw new ArgumentException("model bundle data lacks the scaler, PCA, forest or a calibrator");
        }
        var bundle = Create(
            new FeatureScaler(data.ScalerMeans, data.ScalerStandardDeviations),
            PcaModel.FromData(data.Pca),
            IsolationForestModel.FromData(data.Forest),
            ScoreCalibrator.FromData(data.PcaCalibrator),
            ScoreCalibrator.FromData(data.ForestCalibrator));
        if (data.Version is not null && data.Version != bundle.Version)
        {
            throw new ArgumentException($"model bundle says version {data.Version} but its content hashes to {bundle.Version}: the document was edited or corrupted; refit or restore it");
        }
        return bundle;
    }

    /// <summary>The bundle as one JSON document (<see cref="ModelBundleData"/>).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToData(), JsonOptions);

    /// <summary>Reads a bundle written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a model bundle's JSON.</exception>
    /// <exception cref="ArgumentException">The bundle it holds is inconsistent (see <see cref="FromData"/>).</exception>
    public static ModelBundle FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var data = JsonSerializer.Deserialize<ModelBundleData>(json, JsonOptions)
            ?? throw new JsonException("model bundle JSON is null");
        return FromData(data);
    }

    /// <summary>Bundles are equal when their content hashes are.</summary>
    public bool Equals(ModelBundle? other) => other is not null && Version == other.Version;

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Version);

    private static ModelBundleData Content(FeatureScaler scaler, PcaModel pca, IsolationForestModel forest, ScoreCalibrator pcaCalibrator,
        ScoreCalibrator forestCalibrator) =>
        new(CurrentFormatVersion, null, [.. scaler.Means], [.. scaler.StandardDeviations], pca.ToData(), forest.ToData(),
            pcaCalibrator.ToData(), forestCalibrator.ToData());

    private static string HashOf(ModelBundleData content)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(content with { Version = null }, JsonOptions);
        return VersionPrefix + Convert.ToHexStringLower(SHA256.HashData(bytes))[..8];
    }
}
