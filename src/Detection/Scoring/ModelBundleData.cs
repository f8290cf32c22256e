using System.Text.Json.Serialization;

namespace Cib.Detection.Scoring;

/// <summary>
/// A <see cref="ModelBundle"/> as stored: one JSON document (snake_case names) holding every fitted
/// part, written by <see cref="ModelBundle.ToJson"/>.
/// </summary>
/// <param name="FormatVersion">Layout version of this record; <see cref="ModelBundle.CurrentFormatVersion"/> when written.</param>
/// <param name="Version">The bundle's content hash (see <see cref="ModelBundle.Version"/>); null while the hash is computed.</param>
/// <param name="ScalerMeans">μ_j of the <see cref="FeatureScaler"/>.</param>
/// <param name="ScalerStandardDeviations">σ_j of the <see cref="FeatureScaler"/>.</param>
/// <param name="Pca">The PCA model, fitted on standardised features.</param>
/// <param name="Forest">The isolation forest, fitted on standardised features.</param>
/// <param name="PcaCalibrator">Calibrates the PCA residual norm ‖r‖.</param>
/// <param name="ForestCalibrator">Calibrates the isolation forest score.</param>
public sealed record ModelBundleData(
    [property: JsonPropertyName("format_version")] int FormatVersion,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("scaler_means")] double[] ScalerMeans,
    [property: JsonPropertyName("scaler_standard_deviations")] double[] ScalerStandardDeviations,
    [property: JsonPropertyName("pca")] PcaModelData Pca,
    [property: JsonPropertyName("forest")] IsolationForestModelData Forest,
    [property: JsonPropertyName("pca_calibrator")] ScoreCalibratorData PcaCalibrator,
    [property: JsonPropertyName("forest_calibrator")] ScoreCalibratorData ForestCalibrator);
