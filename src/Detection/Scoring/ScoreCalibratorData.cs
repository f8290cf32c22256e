using System.Text.Json.Serialization;

namespace Cib.Detection.Scoring;

/// <summary>
/// A fitted <see cref="ScoreCalibrator"/> as stored (snake_case names, doubles in shortest round-trip form).
/// </summary>
/// <param name="FormatVersion">Layout version of this record; <see cref="ScoreCalibrator.CurrentFormatVersion"/> when written.</param>
/// <param name="Count">n, the number of reference scores the knots summarise.</param>
/// <param name="Values">Knot scores v_1 ≤ … ≤ v_m: reference order statistics, the minimum and maximum included.</param>
/// <param name="Levels">Knot levels p_i = (r_i − ½) / n, strictly increasing in (0, 1), r_i the rank of v_i.</param>
/// <param name="TailScale">β &gt; 0, the scale of the exponential tail beyond v_m.</param>
public sealed record ScoreCalibratorData(
    [property: JsonPropertyName("format_version")] int FormatVersion,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("values")] double[] Values,
    [property: JsonPropertyName("levels")] double[] Levels,
    [property: JsonPropertyName("tail_scale")] double TailScale);
