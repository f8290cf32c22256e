using System.Text.Encodings.Web;
using System.Text.Json;
using Cib.Detection.CoActivity;
using Cib.Detection.Formats;
using Cib.Detection.Networks;

namespace Cib.Detection.Export;

/// <summary>
/// Writes an analysis's networks as JSON: for each network its id, members, score (with the robust z
/// and reconstruction error it came from, see <see cref="NetworkScore"/>), whether it reaches the
/// takedown threshold, the explanation (every feature of <see cref="NetworkFeatures.Names"/> with its
/// value, the reference median and its share of the residual, largest share first), edge count,
/// dominant co-activity kind, first and last evidence, and the model version that scored it.
/// </summary>
public static class NetworksJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Read by people and tools, never embedded in HTML: account ids stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes the networks to <paramref name="output"/> as UTF-8; the stream is left open. With
    /// <paramref name="windows"/>, a <c>windows</c> object gives every kind's window in seconds
    /// and whether it was estimated (<c>windows_estimated</c>, with each estimate's targets).
    /// </summary>
    public static void Write(Stream output, AnalysisResult analysis, DetectionOptions detection,
        CoActivityOptions? windows = null, IReadOnlyList<WindowEstimate>? estimates = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(detection);
        using var json = new Utf8JsonWriter(output, Options);
        var version = analysis.Model?.Version;
        json.WriteStartObject();
        json.WriteString("model_version", version);
        json.WriteNumber("reference_groups", analysis.ReferenceGroups);
        json.WriteNumber("takedown_threshold", detection.TakedownThreshold);
        if (windows is not null)
        {
            json.WriteBoolean("windows_estimated", estimates is not null);
            json.WriteStartObject("windows");
            foreach (var kind in Enum.GetValues<CoActivityKind>())
            {
                json.WriteNumber(kind.ToWire(), windows.WindowFor(kind).TotalSeconds);
            }
            json.WriteEndObject();
            if (estimates is not null)
            {
                json.WriteStartArray("window_estimates");
                foreach (var e in estimates)
                {
                    json.WriteStartObject();
                    json.WriteString("kind", e.Kind.ToWire());
                    json.WriteNumber("seconds", e.Window.TotalSeconds);
                    json.WriteBoolean("estimated", e.Estimated);
                    json.WriteNumber("targets_shared_twice", e.Targets);
                    json.WriteNumber("fastest_targets", e.Fastest);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
        }
        json.WriteStartArray("networks");
        foreach (var n in analysis.Networks)
        {
            var c = n.Cluster;
            json.WriteStartObject();
            json.WriteString("id", n.Id);
            json.WriteNumber("size", c.Members.Count);
            json.WriteNumber("score", n.Score.Score);
            json.WriteNumber("robust_z", n.Score.RobustZ);
            json.WriteNumber("reconstruction_error", n.Score.ReconstructionError);
            json.WriteBoolean("above_takedown_threshold", n.Score.Score >= detection.TakedownThreshold);
            json.WriteNumber("edge_count", c.Edges.Count);
            json.WriteString("dominant_kind", DominantKind(c)?.ToWire());
            if (c.Edges.Count > 0)
            {
                json.WriteString("first_seen", Timestamps.FormatIso(c.FirstSeen));
                json.WriteString("last_seen", Timestamps.FormatIso(c.LastSeen));
            }
            else
            {
                json.WriteNull("first_seen");
                json.WriteNull("last_seen");
            }
            json.WriteString("model_version", version);
            json.WriteStartArray("members");
            foreach (var m in c.Members)
            {
                json.WriteStringValue(m);
            }
            json.WriteEndArray();
            if (n.Core is { } core)
            {
                json.WriteStartObject("core");
                json.WriteNumber("density", Finite(core.Density));
                json.WriteNumber("actions", core.Actions);
                json.WriteStartArray("accounts");
                core.Accounts.ToList().ForEach(json.WriteStringValue);
                json.WriteEndArray();
                json.WriteStartArray("targets");
                core.Targets.ToList().ForEach(json.WriteStringValue);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteStartArray("explanation");
            var order = Enumerable.Range(0, NetworkFeatures.Count)
                .OrderByDescending(i => i < n.Score.Contributions.Count ? n.Score.Contributions[i] : 0)
                .ThenBy(i => i);
            foreach (var i in order)
            {
                json.WriteStartObject();
                json.WriteString("feature", NetworkFeatures.Names[i]);
                json.WriteNumber("value", Finite(c.Features[i]));
                if (analysis.Model is { } model)
                {
                    json.WriteNumber("reference_median", Finite(model.ReferenceMedians[i]));
                }
                json.WriteNumber("contribution", Finite(i < n.Score.Contributions.Count ? n.Score.Contributions[i] : 0));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The kind with most occasions over the network's edges, or null without edges.</summary>
    public static CoActivityKind? DominantKind(Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.Edges.Count == 0)
        {
            return null;
        }
        var byKind = new long[CoActivityKinds.Count];
        foreach (var e in cluster.Edges)
        {
            for (var k = 0; k < e.Edge.SupportByKind.Count; k++)
            {
                byKind[k] += e.Edge.SupportByKind[k];
            }
        }
        var best = 0;
        for (var k = 1; k < byKind.Length; k++)
        {
            if (byKind[k] > byKind[best])
            {
                best = k;
            }
        }
        return (CoActivityKind)best;
    }

    // JSON has no NaN or infinity; a feature that degenerated is written as 0 rather than failing the file.
    private static double Finite(double x) => double.IsFinite(x) ? x : 0;
}
