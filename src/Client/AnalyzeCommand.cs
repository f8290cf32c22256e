using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cib.Detection.Batch;
using Cib.Detection.CoActivity;
using Cib.Detection.Export;
using Cib.Detection.Formats;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;
using Cib.Detection.Signals;
using Spectre.Console;

namespace Cib.Client;

/// <summary><c>cib analyze</c>: the whole pipeline in-process on a file (batch mode for researchers).</summary>
internal static class AnalyzeCommand
{
    /// <summary>Files written to the output folder, in the order they are written.</summary>
    public static IReadOnlyList<string> OutputFiles { get; } = ["networks.json", "edges.csv", "accounts.csv", "graph.gexf", "graph.graphml"];

    private const int ReportedRejections = 20;
    private const long ProgressEvery = 250_000;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "NDJSON (.ndjson/.jsonl), the coordination network toolkit's CSV, or CooRTweet's CSV; .gz accepted" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for networks.json, edges.csv, accounts.csv, graph.gexf and graph.graphml (created if missing)", Required = true };
        var format = new Option<SignalFileFormat>("--format") { Description = "File format (default: detect from extension and header)", DefaultValueFactory = _ => SignalFileFormat.Auto };
        var window = new Option<string?>("--window") { Description = "Co-activity window in seconds for every kind, or 'auto' to estimate each kind's window from the file as CooRnet does (default: Cib's per-kind windows; 60 for --toolkit)" };
        var redirects = new Option<FileInfo?>("--redirects") { Description = "CSV of known redirects, one 'short_url,long_url' per line: both spellings count as one co-link target" };
        var minWeight = new Option<int>("--min-weight") { Description = "Smallest edge weight kept in the --toolkit networks (default 2, as the toolkit's command line)", DefaultValueFactory = _ => new ToolkitNetworkOptions().MinWeight };
        var meanWeight = new Option<double>("--min-mean-occasion-weight")
        {
            Description = "Least mean occasion weight w/s of an edge, 1/log2(1 + crowd) averaged over its occasions (default 0: off; 0.3 keeps edges whose typical crowd is about 9 or fewer, for wide windows on coarse timestamps)",
        };
        var toolkit = new Option<bool>("--toolkit") { Description = "Also write co_retweet.csv, co_tweet.csv and co_link.csv as the coordination network toolkit computes them (toolkit CSV input only)" };
        var toolkitOnly = new Option<bool>("--toolkit-only") { Description = "Write only the toolkit's three networks, skipping Cib's own pipeline (toolkit CSV input only; the fast path for large files)" };
        var cmd = new Command("analyze", "Run the whole pipeline in-process on a file and write networks, edges, accounts and graphs for Gephi")
        {
            file, output, format, window, redirects, minWeight, meanWeight, toolkit, toolkitOnly,
        };
        cmd.SetAction(pr => Run(console, new Request(pr.GetValue(file)!, pr.GetValue(output)!, pr.GetValue(format), pr.GetValue(window), pr.GetValue(redirects), pr.GetValue(minWeight),
            pr.GetValue(toolkit) || pr.GetValue(toolkitOnly), pr.GetValue(toolkitOnly), pr.GetValue(meanWeight))));
        return cmd;
    }

    private sealed record Request(FileInfo File, DirectoryInfo Out, SignalFileFormat Format, string? Window, FileInfo? Redirects, int MinWeight, bool Toolkit, bool ToolkitOnly = false, double MinMeanOccasionWeight = 0);

    private static int Run(IAnsiConsole con, Request request)
    {
        var clock = Stopwatch.StartNew();
        var path = request.File.FullName;
        if (!request.File.Exists)
        {
            con.MarkupLineInterpolated($"[red]error:[/] file \"{path}\" does not exist");
            return 2;
        }
        var format = request.Format;
        if (format == SignalFileFormat.Auto)
        {
            if (SignalFileReader.Detect(path, out var problem) is not { } detected)
            {
                con.MarkupLineInterpolated($"[red]error:[/] \"{path}\" {problem}. Name the format with --format.");
                return 2;
            }
            format = detected;
        }
        if (request.Toolkit && format != SignalFileFormat.ToolkitCsv)
        {
            con.MarkupLineInterpolated($"[red]error:[/] {(request.ToolkitOnly ? "--toolkit-only" : "--toolkit")} needs the coordination network toolkit's CSV, but \"{path}\" is {format}");
            return 2;
        }
        var windows = new CoActivityOptions();
        var estimate = string.Equals(request.Window, "auto", StringComparison.OrdinalIgnoreCase);
        if (request.Redirects is { } redirectFile)
        {
            try
            {
                using var reader = new StreamReader(redirectFile.FullName);
                windows = windows with { Redirects = UrlRedirects.Parse(reader) };
                con.MarkupLineInterpolated($"Redirects: {windows.Redirects.Count:N0} pairs from {redirectFile.FullName}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                con.MarkupLineInterpolated($"[red]error:[/] cannot read redirects \"{redirectFile.FullName}\": {ex.Message}");
                return 2;
            }
        }
        var toolkitOptions = new ToolkitNetworkOptions { MinWeight = request.MinWeight };
        try
        {
            if (request.Window is { } text && !estimate)
            {
                if (!double.TryParse(text, NumberStyles.Float, Inv, out var seconds) || !double.IsFinite(seconds) || seconds <= 0)
                {
                    throw new ArgumentException($"--window must be a positive number of seconds or 'auto' (got \"{text}\")");
                }
                var span = TimeSpan.FromSeconds(seconds);
                windows = windows with { Windows = Enum.GetValues<CoActivityKind>().ToDictionary(k => k, _ => span) };
                toolkitOptions = toolkitOptions with { WindowSeconds = seconds };
            }
            windows.Validate();
            toolkitOptions.Validate();
            if (request.MinMeanOccasionWeight is < 0 or > 1 || double.IsNaN(request.MinMeanOccasionWeight))
            {
                throw new ArgumentException($"--min-mean-occasion-weight must be between 0 and 1 (got {request.MinMeanOccasionWeight.ToString(Inv)})");
            }
        }
        catch (ArgumentException ex)
        {
            con.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return 2;
        }
        if (!TryPrepareOutput(con, request.Out))
        {
            return 2;
        }
        if (request.ToolkitOnly)
        {
            try
            {
                WriteToolkitNetworks(con, path, request.Out, toolkitOptions);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                con.MarkupLineInterpolated($"[red]error:[/] cannot write to \"{request.Out.FullName}\": {ex.Message}");
                return 2;
            }
            catch (InvalidDataException ex)
            {
                con.MarkupLineInterpolated($"[red]error:[/] cannot read \"{path}\": {ex.Message}");
                return 2;
            }
            ReportDone(con, clock);
            return 0;
        }

        con.MarkupLineInterpolated($"Reading {path} ({format})");
        var signals = new List<Signal>();
        long records = 0, rejected = 0;
        try
        {
            foreach (var r in SignalFileReader.Open(path, format))
            {
                records++;
                if (r.Signal is { } s)
                {
                    signals.Add(s);
                }
                else if (r.Error is { } e)
                {
                    rejected++;
                    if (rejected <= ReportedRejections)
                    {
                        con.MarkupLineInterpolated($"[yellow]rejected:[/] {e}");
                    }
                }
                if (records % ProgressEvery == 0)
                {
                    con.MarkupLineInterpolated($"  {records:N0} records read ({records / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0}/s)");
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            con.MarkupLineInterpolated($"[red]error:[/] cannot read \"{path}\": {ex.Message}");
            return 2;
        }
        con.MarkupLineInterpolated($"Read {records:N0} records: {signals.Count:N0} signals, {rejected:N0} rejected{(rejected > ReportedRejections ? $" (the first {ReportedRejections} shown)" : "")} in {clock.Elapsed.TotalSeconds:F1} s");
        if (signals.Count == 0)
        {
            con.MarkupLineInterpolated($"[red]error:[/] \"{path}\" holds no usable signal; nothing to analyse");
            return 2;
        }

        var phase = Stopwatch.StartNew();
        var detection = new DetectionOptions { MinMeanOccasionWeight = request.MinMeanOccasionWeight };
        var result = InProcessPipeline.Run(signals, windows, detection, estimate);
        signals = null;
        con.MarkupLineInterpolated($"Pipeline: {result.Accounts.Count:N0} accounts, {result.Edges.Count:N0} candidate edges, {result.Analysis.Networks.Count:N0} networks in {phase.Elapsed.TotalSeconds:F1} s");
        con.MarkupLineInterpolated($"Windows {(estimate ? "estimated (CooRnet: median time to half the shares over the fastest 10% of targets)" : "used")}: {string.Join(", ", Enum.GetValues<CoActivityKind>().Select(k => $"{k.ToWire()} {result.Windows.WindowFor(k).TotalSeconds.ToString("0.#", Inv)} s"))}");

        phase.Restart();
        try
        {
            Write(request.Out, result, detection);
            con.MarkupLineInterpolated($"Wrote {string.Join(", ", OutputFiles)} to {request.Out.FullName} in {phase.Elapsed.TotalSeconds:F1} s");
            if (request.Toolkit)
            {
                WriteToolkitNetworks(con, path, request.Out, toolkitOptions);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            con.MarkupLineInterpolated($"[red]error:[/] cannot write to \"{request.Out.FullName}\": {ex.Message}");
            return 2;
        }

        Summarise(con, result, detection);
        ReportDone(con, clock);
        return 0;
    }

    private static void ReportDone(IAnsiConsole con, Stopwatch clock)
    {
        using var self = Process.GetCurrentProcess();
        con.MarkupLineInterpolated($"Done in {clock.Elapsed.TotalSeconds:F2} s ({self.TotalProcessorTime.TotalSeconds:F2} s of CPU); peak working set {self.PeakWorkingSet64 / (1024.0 * 1024.0):N0} MB (now {Environment.WorkingSet / (1024.0 * 1024.0):N0} MB)");
    }

    /// <summary>Reads the file as the coordination network toolkit does and writes its three networks,
    /// each as the toolkit names it; the next network is computed while the last one is written.</summary>
    private static void WriteToolkitNetworks(IAnsiConsole con, string path, DirectoryInfo folder, ToolkitNetworkOptions options)
    {
        var phase = Stopwatch.StartNew();
        var phases = new ToolkitPhaseTimes();
        var messages = ToolkitMessages.ReadFile(path, phases);
        con.MarkupLineInterpolated($"Toolkit networks: {messages.Count:N0} messages of {messages.UserCount:N0} users read in {phase.Elapsed.TotalSeconds:F2} s ({messages.Rejected:N0} rejected, {messages.Duplicates:N0} repeated message ids)");
        foreach (var e in messages.Errors)
        {
            con.MarkupLineInterpolated($"[yellow]rejected:[/] {e}");
        }
        Task? writing = null;
        foreach (var kind in ToolkitNetworkKinds.All)
        {
            phase.Restart();
            var edges = ToolkitNetworks.Compute(messages, kind, options, phases);
            var computed = phase.Elapsed.TotalSeconds;
            Finish(writing);
            var name = kind.ToToolkitName() + ".csv";
            writing = Task.Run(() =>
            {
                var clock = Stopwatch.StartNew();
                using (var w = new StreamWriter(Path.Combine(folder.FullName, name), false, Utf8, 1 << 16))
                {
                    ToolkitEdgeCsvWriter.Write(w, edges);
                }
                con.MarkupLineInterpolated($"  {name}: {edges.Count:N0} edges (window {options.WindowSeconds.ToString(Inv)} s, weight >= {options.MinWeight}) computed in {computed:F2} s, written in {clock.Elapsed.TotalSeconds:F2} s");
            });
        }
        Finish(writing);
        con.MarkupLineInterpolated($"  where the time went: {string.Join("; ", phases.Phases.Select(p => $"{p.Phase} {p.Time.TotalSeconds:F3} s"))}");
    }

    /// <summary>Waits for a write and rethrows its own exception, not an <see cref="AggregateException"/>.</summary>
    private static void Finish(Task? writing)
    {
        try
        {
            writing?.Wait();
        }
        catch (AggregateException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
    }

    /// <summary>Creates the folder and proves it writable before the long read, so a typo in --out
    /// fails in a second rather than after the whole file has been analysed.</summary>
    private static bool TryPrepareOutput(IAnsiConsole con, DirectoryInfo folder)
    {
        try
        {
            Directory.CreateDirectory(folder.FullName);
            var probe = Path.Combine(folder.FullName, $".cib-write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            con.MarkupLineInterpolated($"[red]error:[/] cannot write to \"{folder.FullName}\": {ex.Message}. Choose a writable folder with --out.");
            return false;
        }
    }

    private static void Write(DirectoryInfo folder, PipelineResult result, DetectionOptions detection)
    {
        var dir = folder.FullName;
        using (var s = File.Create(Path.Combine(dir, "networks.json")))
        {
            NetworksJsonWriter.Write(s, result.Analysis, detection, result.Windows, result.WindowEstimates);
        }
        using (var w = new StreamWriter(Path.Combine(dir, "edges.csv"), false, Utf8))
        {
            EdgesCsvWriter.Write(w, result.Edges, result.Accounts);
        }
        var networkOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in result.Analysis.Networks)
        {
            foreach (var m in n.Cluster.Members)
            {
                networkOf.TryAdd(m, n.Id);
            }
        }
        using (var w = new StreamWriter(Path.Combine(dir, "accounts.csv"), false, Utf8))
        {
            AccountsCsvWriter.Write(w, result.Accounts.Values, networkOf);
        }
        var graph = NetworkGraph.FromAnalysis(result.Analysis);
        using (var s = File.Create(Path.Combine(dir, "graph.gexf")))
        {
            GexfWriter.Write(s, graph);
        }
        using (var s = File.Create(Path.Combine(dir, "graph.graphml")))
        {
            GraphMLWriter.Write(s, graph);
        }
    }

    private static void Summarise(IAnsiConsole con, PipelineResult result, DetectionOptions detection)
    {
        var networks = result.Analysis.Networks;
        var above = networks.Count(n => n.Score.Score >= detection.TakedownThreshold);
        con.MarkupLineInterpolated($"{networks.Count} networks, {above} at or above the takedown threshold {detection.TakedownThreshold.ToString(Inv)} (model {result.Analysis.Model?.Version ?? "none"})");
        if (networks.Count == 0)
        {
            return;
        }
        var table = new Table().AddColumns("network", "size", "score", "robust z", "edges", "kind", "first seen", "last seen");
        const int Shown = 25;
        foreach (var n in networks.Take(Shown))
        {
            table.AddRow(
                n.Id,
                n.Cluster.Members.Count.ToString(Inv),
                n.Score.Score.ToString("F3", Inv),
                n.Score.RobustZ.ToString("F1", Inv),
                n.Cluster.Edges.Count.ToString(Inv),
                NetworksJsonWriter.DominantKind(n.Cluster)?.ToWire() ?? "-",
                n.Cluster.Edges.Count == 0 ? "-" : n.Cluster.FirstSeen.ToString("yyyy-MM-dd HH:mm", Inv),
                n.Cluster.Edges.Count == 0 ? "-" : n.Cluster.LastSeen.ToString("yyyy-MM-dd HH:mm", Inv));
        }
        con.Write(table);
        if (networks.Count > Shown)
        {
            con.MarkupLineInterpolated($"the {Shown} highest-scoring of {networks.Count} shown; all are in networks.json");
        }
    }
}
