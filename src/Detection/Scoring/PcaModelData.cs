using System.Text.Json.Serialization;

namespace Cib.Detection.Scoring;

/// <summary>
/// A fitted <see cref="PcaModel"/> as stored: plain arrays, serialised with
/// <see cref="PcaModel.ToJson"/> (snake_case names). Doubles are written in their shortest
/// round-trip form, so a loaded model scores exactly as the saved one did.
/// </summary>
/// <param name="FormatVersion">Layout version of this record; <see cref="PcaModel.CurrentFormatVersion"/> when written.</param>
/// <param name="Mean">μ, one entry per feature (zeros for a model fitted without centring).</param>
/// <param name="Components">The k principal directions v_1..v_k, unit length, orthogonal, by decreasing variance.</param>
/// <param name="Variances">λ_1..λ_k, the training data's variance along each component.</param>
public sealed record PcaModelData(
    [property: JsonPropertyName("format_version")] int FormatVersion,
    [property: JsonPropertyName("mean")] double[] Mean,
    [property: JsonPropertyName("components")] double[][] Components,
    [property: JsonPropertyName("variances")] double[] Variances);
