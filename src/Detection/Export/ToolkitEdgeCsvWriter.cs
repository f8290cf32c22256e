using System.Globalization;
using Cib.Detection.Batch;

namespace Cib.Detection.Export;

/// <summary>
/// Writes a toolkit network as the coordination network toolkit writes it: header
/// <c>user_1,user_2,weight</c>, one edge per line, LF line ends, fields quoted as RFC 4180 requires.
/// Self-loops are written (the toolkit's own export drops them; they are part of its network).
/// </summary>
public static class ToolkitEdgeCsvWriter
{
    /// <summary>Writes the header and the edges in the order given.</summary>
    public static void Write(TextWriter writer, IEnumerable<ToolkitEdge> edges)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(edges);
        // LF, not CRLF: the toolkit's files end lines with LF and tools compare them byte for byte.
        writer.Write("user_1,user_2,weight\n");
        foreach (var e in edges)
        {
            CsvField.Write(writer, e.User1);
            writer.Write(',');
            CsvField.Write(writer, e.User2);
            writer.Write(',');
            writer.Write(e.Weight.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }
}
