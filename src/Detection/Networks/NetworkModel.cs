using System.Security.Cryptography;
using System.Text;
using Cib.Detection.Scoring;

namespace Cib.Detection.Networks;

/// <summary>A network's anomaly score and what drove it.</summary>
/// <param name="Score">Calibrated score in [0, 1]: 1 / (1 + exp(−(z − <see cref="NetworkModel.CalibrationCentre"/>))).</param>
/// <param name="ReconstructionError">‖r‖, the norm of the randomized-PCA reconstruction residual of the standardised features.</param>
/// <param name="RobustZ">z = (error − median of reference errors) / (1.4826 · MAD of reference errors).</param>
/// <param name="Contributions">Per feature (index = <see cref="NetworkFeatures.Names"/> order) its share of the squared residual.</param>
/// <param name="NormalizedError">ML.NET's normalised reconstruction error ‖r‖ / ‖x − μ‖, in [0, 1].</param>
public sealed record NetworkScore(double Score, double ReconstructionError, double RobustZ, IReadOnlyList<double> Contributions, double NormalizedError = 0);

/// <summary>
/// The first anomaly model of Cib: features are standardised on a reference population of groups
/// (mostly ordinary co-activity, plus random groups of active accounts), a randomized PCA is fitted
/// to them (the randomized range finder of ML.NET's RandomizedPcaTrainer), and a group's raw score is
/// the norm of its reconstruction residual ‖r‖. ML.NET reports ‖r‖ / ‖x − μ‖ instead (see
/// <see cref="PcaModel.Score"/>); that ratio is the sine of an angle and ignores how far a group lies
/// from the reference, which is what separates a campaign from ordinary co-activity, so Cib
/// calibrates the absolute norm and reports the ratio as <see cref="NetworkScore.NormalizedError"/>. Raw errors are calibrated to [0, 1] against the reference: a robust z-score (median and
/// MAD of the reference errors) through a logistic centred at <see cref="CalibrationCentre"/>, so a
/// group 10 robust standard deviations out scores 0.5. The centre was chosen on simulated data,
/// where ordinary clusters that pass the edge thresholds lie below z = 7 and campaigns above 17.
/// </summary>
public sealed class NetworkModel
{
    /// <summary>Robust z at which the calibrated score is 0.5.</summary>
    public const double CalibrationCentre = 10.0;

    private readonly FeatureScaler _scaler;
    private readonly PcaModel _pca;
    private readonly double _medianError;
    private readonly double _madError;

    private NetworkModel(FeatureScaler scaler, PcaModel pca, double medianError, double madError, double[] referenceMedians, int referenceRows, string version)
    {
        _scaler = scaler;
        _pca = pca;
        _medianError = medianError;
        _madError = madError;
        ReferenceMedians = referenceMedians;
        ReferenceRows = referenceRows;
        Version = version;
    }

    /// <summary>Model version: <c>rpca-1:</c> and a hash of the fitted parameters, attached to every score.</summary>
    public string Version { get; }

    /// <summary>Median of each raw feature over the reference rows, for explanations.</summary>
    public IReadOnlyList<double> ReferenceMedians { get; }

    /// <summary>Rows the model was fitted on.</summary>
    public int ReferenceRows { get; }

    /// <summary>Fits the model on reference feature vectors (at least 2 rows).</summary>
    public static NetworkModel Fit(IReadOnlyList<double[]> reference, int rank, int seed)
    {
        if (reference.Count < 2)
        {
            throw new ArgumentException($"the anomaly model needs at least 2 reference groups (got {reference.Count})", nameof(reference));
        }
        var rows = reference.ToArray();
        var scaler = FeatureScaler.Fit(rows);
        var scaled = rows.Select(r => scaler.Transform(r)).ToArray();
        var pca = RandomizedPca.Fit(scaled, Math.Min(rank, rows[0].Length - 1), seed: seed);
        var errors = scaled.Select(r => Math.Sqrt(pca.SquaredResidual(r))).Order().ToArray();
        var median = Median(errors);
        var mad = Median(errors.Select(e => Math.Abs(e - median)).Order().ToArray());
        var medians = new double[rows[0].Length];
        for (var j = 0; j < medians.Length; j++)
        {
            medians[j] = Median(rows.Select(r => r[j]).Order().ToArray());
        }
        var fingerprint = new StringBuilder();
        foreach (var x in errors.Take(64).Concat(medians))
        {
            fingerprint.Append(x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(';');
        }
        var version = "rpca-1:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.ToString())))[..8];
        return new NetworkModel(scaler, pca, median, mad, medians, rows.Length, version);
    }

    /// <summary>Scores one feature vector.</summary>
    public NetworkScore Score(IReadOnlyList<double> features)
    {
        var x = _scaler.Transform(features.ToArray());
        var error = Math.Sqrt(_pca.SquaredResidual(x));
        // A reference whose errors are all equal has MAD 0; a small floor keeps z finite and ordered.
        var spread = Math.Max(1.4826 * _madError, 1e-6 + (0.05 * Math.Abs(_medianError)));
        var z = (error - _medianError) / spread;
        var score = 1.0 / (1.0 + Math.Exp(-(z - CalibrationCentre)));
        var contributions = _pca.ResidualContributions(x);
        var total = contributions.Sum();
        var shares = contributions.Select(c => total > 0 ? c / total : 0).ToArray();
        return new NetworkScore(score, error, z, shares, _pca.Score(x));
    }

    private static double Median(double[] sorted) =>
        sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
