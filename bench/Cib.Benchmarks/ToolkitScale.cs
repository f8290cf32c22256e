using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Cib.Detection.Batch;

namespace Cib.Benchmarks;

/// <summary>
/// The side-by-side run against the coordination network toolkit: its 100,000-message fixture is
/// repeated <c>copies</c> times (ids offset and times shifted past the previous copy, so edges are
/// exactly copies × the fixture's), then read and turned into the three networks with a 60 s window
/// and minimum weight 2, as the toolkit was timed. Prints wall times and the peak working set.
/// </summary>
internal static class ToolkitScale
{
    public static int Run(string[] args)
    {
        var copies = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var fixture = FindFixture();
        if (fixture is null)
        {
            Console.Error.WriteLine("../shared/data/qut-compat/input-100k.csv.gz not found above the current folder");
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var bytes = Repeat(fixture, copies);
        Console.WriteLine($"built {copies * 100_000:N0} messages ({bytes.Length / 1e6:F0} MB CSV) in {clock.Elapsed.TotalSeconds:F1} s (not timed below)");
        GC.Collect();
        clock.Restart();
        var messages = ToolkitMessages.Read(bytes);
        var read = clock.Elapsed.TotalSeconds;
        var times = new Dictionary<ToolkitNetworkKind, (double Seconds, int Edges)>();
        foreach (var kind in ToolkitNetworkKinds.All)
        {
            clock.Restart();
            var edges = ToolkitNetworks.Compute(messages, kind, new ToolkitNetworkOptions());
            times[kind] = (clock.Elapsed.TotalSeconds, edges.Count);
        }
        var networks = times.Values.Sum(t => t.Seconds);
        Console.WriteLine($"messages {copies * 100_000:N0}: read {read:F2} s; " +
            string.Join("; ", times.Select(t => $"{t.Key.ToToolkitName()} {t.Value.Seconds:F2} s ({t.Value.Edges:N0} edges)")) +
            $"; three networks {networks:F2} s; total {read + networks:F2} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
        return 0;
    }

    private static string? FindFixture()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data", "qut-compat", "input-100k.csv.gz");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The fixture's rows, <paramref name="copies"/> times, with ids and times offset per copy.</summary>
    private static byte[] Repeat(string fixture, int copies)
    {
        var buffer = new MemoryStream();
        Write(fixture, copies, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes <paramref name="copies"/> shifted copies of the fixture to <paramref name="output"/>
    /// as toolkit CSV, one copy at a time, so that inputs far larger than memory can be made.</summary>
    public static void Write(string fixture, int copies, Stream output)
    {
        using var gz = new GZipStream(File.OpenRead(fixture), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var text = reader.ReadToEnd();
        var records = SplitRecords(text);
        var header = records[0];
        var rows = records.Skip(1).Select(SplitFields).ToArray();
        var span = rows.Max(r => double.Parse(r[6], CultureInfo.InvariantCulture)) - rows.Min(r => double.Parse(r[6], CultureInfo.InvariantCulture)) + 3600;
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 20, leaveOpen: true);
        writer.Write(header);
        writer.Write('\n');
        for (var c = 0; c < copies; c++)
        {
            var prefix = c == 0 ? "" : $"c{c}_";
            foreach (var r in rows)
            {
                string Id(string v) => v.Length == 0 ? v : prefix + v;
                var ts = (double.Parse(r[6], CultureInfo.InvariantCulture) + (c * span)).ToString("R", CultureInfo.InvariantCulture);
                writer.Write(string.Join(',', Id(r[0]), Id(r[1]), Quote(r[2]), Id(r[3]), Id(r[4]), Quote(r[5]), ts, Quote(r[7])));
                writer.Write('\n');
            }
        }
    }

    /// <summary><c>generate copies file</c>: writes the repeated fixture to a file for <c>cib analyze</c> and <c>cib bench</c>.</summary>
    public static int Generate(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: generate <copies of the 100,000-message fixture> <output .csv>");
            return 2;
        }
        var copies = int.Parse(args[1], CultureInfo.InvariantCulture);
        var fixture = FindFixture();
        if (fixture is null)
        {
            Console.Error.WriteLine("../shared/data/qut-compat/input-100k.csv.gz not found above the current folder");
            return 2;
        }
        var clock = Stopwatch.StartNew();
        using (var file = File.Create(args[2]))
        {
            Write(fixture, copies, file);
        }
        Console.WriteLine($"wrote {copies * 100_000:N0} messages ({new FileInfo(args[2]).Length / 1e6:F0} MB) to {args[2]} in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // RFC 4180: records end at newlines outside quotes.
    private static List<string> SplitRecords(string text)
    {
        var records = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == '\n' && !quoted)
            {
                records.Add(text[start..i].TrimEnd('\r'));
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            records.Add(text[start..].TrimEnd('\r'));
        }
        return records;
    }

    private static string[] SplitFields(string record)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < record.Length; i++)
        {
            var ch = record[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < record.Length && record[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(ch);
            }
        }
        fields.Add(sb.ToString());
        return [.. fields];
    }
}
