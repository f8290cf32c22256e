using System.Text.Json.Serialization;

namespace Cib.Detection.Scoring;

/// <summary>
/// A fitted <see cref="IsolationForestModel"/> as stored: all trees' nodes in flat arrays indexed by
/// node, serialised with <see cref="IsolationForestModel.ToJson"/> (snake_case names). Doubles are
/// written in their shortest round-trip form, so a loaded forest scores exactly as the saved one did.
/// </summary>
/// <param name="FormatVersion">Layout version of this record; <see cref="IsolationForestModel.CurrentFormatVersion"/> when written.</param>
/// <param name="Dimension">Number of features d.</param>
/// <param name="SampleSize">ψ, the rows each tree was grown on; scores are normalised by c(ψ).</param>
/// <param name="TreeRoots">Index of each tree's root; tree t owns nodes [TreeRoots[t], TreeRoots[t + 1]).</param>
/// <param name="Feature">Split feature of each node, or −1 for an external node.</param>
/// <param name="Threshold">Split value p of each internal node (x_q &lt; p goes left); 0 for external nodes.</param>
/// <param name="Left">Index of each internal node's left child (its right child is Left + 1), or −1.</param>
/// <param name="Size">Training rows that reached each node.</param>
public sealed record IsolationForestModelData(
    [property: JsonPropertyName("format_version")] int FormatVersion,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("sample_size")] int SampleSize,
    [property: JsonPropertyName("tree_roots")] int[] TreeRoots,
    [property: JsonPropertyName("feature")] int[] Feature,
    [property: JsonPropertyName("threshold")] double[] Threshold,
    [property: JsonPropertyName("left")] int[] Left,
    [property: JsonPropertyName("size")] int[] Size);
