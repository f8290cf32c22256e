using System.Globalization;
using System.Text;
using Cib.Grains.Interfaces;

namespace Cib.Client;

/// <summary>
/// Draws a network's timeline in text: one row per member, one column per time bin, a mark where
/// the member acted ('█' on the network's evidence targets, '·' elsewhere). Coordinated accounts
/// show as columns lit up together.
/// </summary>
public static class TimelinePicture
{
    /// <summary>Renders <paramref name="timeline"/> in <paramref name="width"/> columns.</summary>
    public static string Render(NetworkTimeline timeline, int width = 96)
    {
        var sb = new StringBuilder();
        if (timeline.Points.Count == 0)
        {
            return "no actions recorded for this network's members\n";
        }
        var start = timeline.Points.Min(p => p.Time);
        var end = timeline.Points.Max(p => p.Time);
        var span = Math.Max(1, (end - start).Ticks);
        var binTicks = Math.Max(1, span / width + 1);
        var label = Math.Min(16, timeline.Members.Max(m => m.Length));
        var rows = timeline.Members.ToDictionary(m => m, _ => new char[width]);
        foreach (var row in rows.Values)
        {
            Array.Fill(row, ' ');
        }
        foreach (var p in timeline.Points)
        {
            if (!rows.TryGetValue(p.Account, out var row))
            {
                continue;
            }
            var bin = (int)Math.Min(width - 1, (p.Time - start).Ticks / binTicks);
            if (p.OnEvidence)
            {
                row[bin] = '█';
            }
            else if (row[bin] == ' ')
            {
                row[bin] = '·';
            }
        }
        sb.Append(CultureInfo.InvariantCulture, $"{start:u} to {end:u}, one column = {TimeSpan.FromTicks(binTicks):g}; █ action on the network's evidence targets, · other action\n");
        foreach (var m in timeline.Members)
        {
            sb.Append((m.Length > label ? m[..label] : m).PadRight(label)).Append(" |").Append(rows[m]).Append("|\n");
        }
        if (timeline.Truncated)
        {
            sb.Append("(only the first actions are shown; ask for a larger --limit)\n");
        }
        return sb.ToString();
    }
}
