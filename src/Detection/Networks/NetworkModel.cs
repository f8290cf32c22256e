using System.Text.Json;
using Cib.Detection.Scoring;

namespace Cib.Detection.Networks;

/// <summary>A network's anomaly score and what drove it.</summary>
/// <param name="Score">Calibrated ensemble score in [0, 1]: 1 − √(t_a · t_b), with t_a and t_b the tail
/// probabilities of the PCA residual and of the isolation-forest score against the reference (see
/// <see cref="EnsembleScorer"/>).</param>
/// <param name="ReconstructionError">‖r‖, the norm of the randomized-PCA reconstruction residual of the standardised features.</param>
/// <param name="RobustZ">z = (‖r‖ − median of reference residuals) / (1.4826 · MAD of reference residuals): how many
/// robust standard deviations the group lies beyond ordinary co-activity, for readers.</param>
/// <param name="Contributions">Per feature (index = <see cref="NetworkFeatures.Names"/> order) its combined share of
/// the two models' explanations (see <see cref="EnsembleScorer.Explain"/>); sums to 1 or is all zeros.</param>
/// <param name="NormalizedError">ML.NET's normalised reconstruction error ‖r‖ / ‖x − μ‖, in [0, 1].</param>
/// <param name="ForestScore">The isolation forest's raw score 2^(−E[h]/c(ψ)).</param>
/// <param name="TailProbability">√(t_a · t_b): how often ordinary co-activity looks at least this unusual to both models.</param>
public sealed record NetworkScore(double Score, double ReconstructionError, double RobustZ, IReadOnlyList<double> Contributions,
    double NormalizedError = 0, double ForestScore = 0, double TailProbability = 1);

/// <summary>The persisted form of a <see cref="NetworkModel"/>.</summary>
/// <param name="FormatVersion">Layout of this record; <see cref="NetworkModel.CurrentFormatVersion"/>.</param>
/// <param name="Ensemble">The ensemble's bundle (scaler, PCA, forest, calibrators).</param>
/// <param name="MedianResidual">Median reference residual norm, for <see cref="NetworkScore.RobustZ"/>.</param>
/// <param name="MadResidual">MAD of reference residual norms.</param>
/// <param name="ReferenceMedians">Median of each raw feature over the reference.</param>
/// <param name="ReferenceRows">Rows fitted on.</param>
/// <param name="FeatureNames">The feature names, in vector order, that the model was fitted with.</param>
public sealed record NetworkModelData(int FormatVersion, ModelBundleData Ensemble, double MedianResidual, double MadResidual,
    IReadOnlyList<double> ReferenceMedians, int ReferenceRows, IReadOnlyList<string> FeatureNames);

/// <summary>
/// Cib's unsupervised network model: network features are standardised on a reference population of
/// groups (ordinary co-activity outside every cluster, plus random groups of active accounts), and two
/// models are fitted to them — a randomized PCA, whose raw score is the absolute residual norm ‖r‖,
/// and an isolation forest. Each raw score is calibrated against the reference and the two are
/// combined as <see cref="EnsembleScorer"/> documents: score = 1 − √(t_a · t_b). A group beyond every
/// reference group for both models scores near 1; one that looks ordinary to either model cannot.
/// The model is versioned by the hash of its fitted parameters (<see cref="Version"/>, attached to
/// every score) and persisted with <see cref="ToJson"/> / <see cref="FromJson"/>.
/// </summary>
public sealed class NetworkModel
{
    /// <summary>The <see cref="NetworkModelData.FormatVersion"/> this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly EnsembleScorer _ensemble;
    private readonly double _medianResidual;
    private readonly double _madResidual;

    private NetworkModel(EnsembleScorer ensemble, double medianResidual, double madResidual, double[] referenceMedians, int referenceRows)
    {
        _ensemble = ensemble;
        _medianResidual = medianResidual;
        _madResidual = madResidual;
        ReferenceMedians = referenceMedians;
        ReferenceRows = referenceRows;
    }

    /// <summary>Model version: the ensemble bundle's content hash (<c>ens-1:</c> and 8 hex digits), attached to every score.</summary>
    public string Version => _ensemble.Version;

    /// <summary>Median of each raw feature over the reference rows, for explanations.</summary>
    public IReadOnlyList<double> ReferenceMedians { get; }

    /// <summary>Rows the model was fitted on.</summary>
    public int ReferenceRows { get; }

    /// <summary>Fits the model on reference feature vectors (at least 2 rows); the same rows and seed give the same model and version.</summary>
    public static NetworkModel Fit(IReadOnlyList<double[]> reference, int rank, int seed)
    {
        if (reference.Count < 2)
        {
            throw new ArgumentException($"the anomaly model needs at least 2 reference groups (got {reference.Count})", nameof(reference));
        }
        var ensemble = EnsembleScorer.Fit(reference, rank, seed: seed);
        var residuals = reference.Select(r => ensemble.Score(r).ResidualNorm).Order().ToArray();
        var median = Median(residuals);
        var mad = Median(residuals.Select(e => Math.Abs(e - median)).Order().ToArray());
        var medians = new double[reference[0].Length];
        for (var j = 0; j < medians.Length; j++)
        {
            medians[j] = Median(reference.Select(r => r[j]).Order().ToArray());
        }
        return new NetworkModel(ensemble, median, mad, medians, reference.Count);
    }

    /// <summary>Scores one feature vector.</summary>
    public NetworkScore Score(IReadOnlyList<double> features)
    {
        var x = features.ToArray();
        var e = _ensemble.Score(x);
        // A reference whose residuals are all equal has MAD 0; a small floor keeps z finite and ordered.
        var spread = Math.Max(1.4826 * _madResidual, 1e-6 + (0.05 * Math.Abs(_medianResidual)));
        var z = (e.ResidualNorm - _medianResidual) / spread;
        var scaled = _ensemble.Bundle.Scaler.Transform(x);
        return new NetworkScore(e.Score, e.ResidualNorm, z, e.Attribution, _ensemble.Bundle.Pca.Score(scaled), e.ForestScore, e.TailProbability);
    }

    /// <summary>The persisted form.</summary>
    public NetworkModelData ToData() =>
        new(CurrentFormatVersion, _ensemble.Bundle.ToData(), _medianResidual, _madResidual, ReferenceMedians.ToArray(), ReferenceRows, NetworkFeatures.Names.ToArray());

    /// <summary>Serialises the model to one line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(ToData(), JsonOptions);

    /// <summary>Loads a model written by <see cref="ToJson"/>; the loaded model scores exactly as the saved one.</summary>
    /// <exception cref="FormatException">The JSON is not a model of this format or of these features.</exception>
    public static NetworkModel FromJson(string json)
    {
        NetworkModelData? data;
        try
        {
            data = JsonSerializer.Deserialize<NetworkModelData>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"network model: not valid JSON ({ex.Message})", ex);
        }
        if (data is null || data.Ensemble is null || data.ReferenceMedians is null || data.FeatureNames is null)
        {
            throw new FormatException("network model: \"ensemble\", \"referenceMedians\" and \"featureNames\" are required");
        }
        if (data.FormatVersion != CurrentFormatVersion)
        {
            throw new FormatException($"network model: \"formatVersion\" is {data.FormatVersion}; this build reads {CurrentFormatVersion}");
        }
        if (!data.FeatureNames.SequenceEqual(NetworkFeatures.Names))
        {
            throw new FormatException($"network model: \"featureNames\" ({string.Join(", ", data.FeatureNames)}) differ from this build's features");
        }
        var bundle = ModelBundle.FromData(data.Ensemble);
        if (bundle.Dimension != NetworkFeatures.Count || data.ReferenceMedians.Count != NetworkFeatures.Count)
        {
            throw new FormatException($"network model: expected {NetworkFeatures.Count} features (got {bundle.Dimension} in the ensemble, {data.ReferenceMedians.Count} medians)");
        }
        return new NetworkModel(new EnsembleScorer(bundle), data.MedianResidual, data.MadResidual, data.ReferenceMedians.ToArray(), data.ReferenceRows);
    }

    private static double Median(double[] sorted) =>
        sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
