using System.Text.Json.Serialization;

namespace Cib.Detection.Scoring;

/// <summary>A trained <see cref="SupervisedLayer"/> as stored (snake_case names, doubles in shortest round-trip form).</summary>
/// <param name="FormatVersion">Layout version of this record; <see cref="SupervisedLayer.CurrentFormatVersion"/> when written.</param>
/// <param name="ScalerMeans">μ_j of the features the layer standardises its inputs with.</param>
/// <param name="ScalerStandardDeviations">σ_j of those features.</param>
/// <param name="Weights">w_j, one per feature, on standardised features.</param>
/// <param name="Intercept">b.</param>
/// <param name="Regularisation">λ, the L2 penalty it was trained with.</param>
/// <param name="Report">Its cross-validated quality when trained.</param>
public sealed record SupervisedLayerData(
    [property: JsonPropertyName("format_version")] int FormatVersion,
    [property: JsonPropertyName("scaler_means")] double[] ScalerMeans,
    [property: JsonPropertyName("scaler_standard_deviations")] double[] ScalerStandardDeviations,
    [property: JsonPropertyName("weights")] double[] Weights,
    [property: JsonPropertyName("intercept")] double Intercept,
    [property: JsonPropertyName("regularisation")] double Regularisation,
    [property: JsonPropertyName("report")] SupervisedReport Report);
