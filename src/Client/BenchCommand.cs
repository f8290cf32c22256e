using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cib.Detection.Batch;
using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;
using Cib.Detection.Signals;
using Cib.Detection.Simulation;
using Spectre.Console;

namespace Cib.Client;

/// <summary>
/// <c>cib bench</c>: end-to-end throughput, run-time percentiles and peak memory of batch mode (the
/// toolkit's three networks from a toolkit CSV, as <c>cib analyze --toolkit-only</c> computes them,
/// without writing) and of the in-process pipeline (simulated signals through co-activity windows,
/// pair aggregation, clustering and scoring), at each size given, and how each grows with size.
/// </summary>
internal static class BenchCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(IAnsiConsole console)
    {
        var batch = new Option<FileInfo[]>("--batch") { Description = "Toolkit CSV files to time, smallest first (make them with `dotnet run -c Release --project bench/Cib.Benchmarks -- generate 10 m1.csv`)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var pipeline = new Option<int[]>("--pipeline") { Description = "Simulated signal counts to run through the in-process pipeline, smallest first (default: none)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var repeat = new Option<int>("--repeat") { Description = "Runs per size (default 3); best, median and slowest are reported", DefaultValueFactory = _ => 3 };
        var shards = new Option<int>("--shards") { Description = $"Window shards of the pipeline, each on its own thread (1 to {InProcessPipeline.MaxShards}; default {InProcessPipeline.DefaultShards}); the result is the same", DefaultValueFactory = _ => InProcessPipeline.DefaultShards };
        var cmd = new Command("bench", "Time batch mode and the in-process pipeline end to end: throughput, run-time percentiles, peak memory, growth with size")
        {
            batch, pipeline, repeat, shards,
        };
        cmd.SetAction(pr => Run(console, pr.GetValue(batch)!, pr.GetValue(pipeline)!, pr.GetValue(repeat), pr.GetValue(shards)));
        return cmd;
    }

    /// <summary>One size's runs.</summary>
    private sealed record Measured(string Kind, long Items, double[] Seconds, long PeakBytes, string Where)
    {
        public double Best => Seconds.Min();

        public double Median => Percentile(50);

        public double Percentile(double p)
        {
            var sorted = Seconds.Order().ToArray();
            // Nearest rank: the smallest run time that at least p% of the runs do not exceed.
            var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }

    private static int Run(IAnsiConsole con, FileInfo[] files, int[] pipeline, int repeat, int shards)
    {
        if (repeat < 1 || (files.Length == 0 && pipeline.Length == 0))
        {
            con.MarkupLine("[red]error:[/] give --batch files and/or --pipeline sizes, and --repeat of at least 1");
            return 2;
        }
        if (shards < 1 || shards > InProcessPipeline.MaxShards)
        {
            con.MarkupLineInterpolated($"[red]error:[/] --shards must be between 1 and {InProcessPipeline.MaxShards} (got {shards})");
            return 2;
        }
        if (files.FirstOrDefault(f => !f.Exists) is { } missing)
        {
            con.MarkupLineInterpolated($"[red]error:[/] file \"{missing.FullName}\" does not exist; make it with the bench project's `generate` command");
            return 2;
        }
        con.MarkupLineInterpolated($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
        var results = new List<Measured>();
        try
        {
            foreach (var file in files)
            {
                results.Add(Batch(con, file, repeat));
            }
            foreach (var n in pipeline)
            {
                results.Add(Pipeline(con, n, repeat, shards));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
        {
            con.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return 2;
        }
        // Plain lines rather than a table: they stay readable in a narrow terminal and in a log.
        foreach (var r in results)
        {
            con.MarkupLineInterpolated($"{r.Kind} {r.Items:N0}: {r.Seconds.Length} runs, best {Seconds(r.Best)}, median {Seconds(r.Median)}, p90 {Seconds(r.Percentile(90))}, slowest {Seconds(r.Seconds.Max())}; {r.Items / r.Best:N0}/s at best, {r.Items / r.Median:N0}/s at median; peak working set {r.PeakBytes / 1e6:N0} MB");
        }
        foreach (var kind in results.GroupBy(r => r.Kind))
        {
            var small = kind.First();
            var large = kind.Last();
            if (small != large)
            {
                con.MarkupLineInterpolated($"{kind.Key}: {small.Items:N0} → {large.Items:N0} items (×{(double)large.Items / small.Items:F1}): median time ×{large.Median / small.Median:F1}, throughput ×{small.Median / large.Median * large.Items / small.Items:F2}, peak working set ×{(double)large.PeakBytes / small.PeakBytes:F1}");
            }
        }
        foreach (var r in results)
        {
            con.MarkupLineInterpolated($"{r.Kind} {r.Items:N0}, fastest run: {r.Where}");
        }
        con.MarkupLineInterpolated($"load average at the end {LoadAverage()} (other work on the machine slows every figure)");
        return 0;
    }

    private static Measured Batch(IAnsiConsole con, FileInfo file, int repeat)
    {
        var seconds = new double[repeat];
        var messages = 0;
        var where = "";
        for (var r = 0; r < repeat; r++)
        {
            GC.Collect();
            var phases = new ToolkitPhaseTimes();
            var clock = Stopwatch.StartNew();
            var read = ToolkitMessages.ReadFile(file.FullName, phases);
            var edges = 0;
            foreach (var kind in ToolkitNetworkKinds.All)
            {
                edges += ToolkitNetworks.Compute(read, kind, new ToolkitNetworkOptions(), phases).Count;
            }
            seconds[r] = clock.Elapsed.TotalSeconds;
            messages = read.Count;
            con.MarkupLineInterpolated($"batch {file.Name}: run {r + 1}: {messages:N0} messages, {edges:N0} edges in {seconds[r]:F2} s");
            if (seconds[r] <= seconds[..(r + 1)].Min())
            {
                where = Describe(phases);
            }
        }
        return new Measured("batch (toolkit networks)", messages, seconds, PeakWorkingSet(), where);
    }

    private static Measured Pipeline(IAnsiConsole con, int count, int repeat, int shards)
    {
        var signals = Simulate(count);
        con.MarkupLineInterpolated($"pipeline: simulated {signals.Count:N0} signals (not timed); {shards} window shard(s)");
        var seconds = new double[repeat];
        var where = "";
        for (var r = 0; r < repeat; r++)
        {
            GC.Collect();
            var cpu = ProcessorTime();
            var clock = Stopwatch.StartNew();
            var phases = new ToolkitPhaseTimes();
            var result = InProcessPipeline.Run(signals, new CoActivityOptions(), new DetectionOptions(), phases: phases, shards: shards);
            seconds[r] = clock.Elapsed.TotalSeconds;
            var counts = $"{result.Accounts.Count:N0} accounts, {result.Edges.Count:N0} edges, {result.Analysis.Networks.Count:N0} networks";
            // CPU (user + system, every thread) tells less of the machine's other load than the wall clock does.
            con.MarkupLineInterpolated($"pipeline {signals.Count:N0}: run {r + 1}: {counts} in {seconds[r]:F2} s (CPU {(ProcessorTime() - cpu).TotalSeconds:F2} s): {Describe(phases)}");
            if (seconds[r] <= seconds[..(r + 1)].Min())
            {
                where = $"{counts}; {Describe(phases)}";
            }
        }
        return new Measured("in-process pipeline", signals.Count, seconds, PeakWorkingSet(), where);
    }

    /// <summary>At least <paramref name="count"/> simulated signals (then cut to that many), from a
    /// five-day simulation with enough accounts: a simulated account acts about 38 times a day.</summary>
    internal static List<Signal> Simulate(int count)
    {
        var accounts = Math.Max(500, count / (38 * 5));
        while (true)
        {
            var sim = PlatformSimulator.Run(new SimulationOptions { OrganicAccounts = accounts, Duration = TimeSpan.FromDays(5) });
            if (sim.Signals.Count >= count)
            {
                return sim.Signals.Take(count).ToList();
            }
            accounts = (int)(accounts * 1.5 * count / Math.Max(1, sim.Signals.Count));
        }
    }

    /// <summary>The phases of a run, slowest first, with their share of the run.</summary>
    private static string Describe(ToolkitPhaseTimes phases)
    {
        var all = phases.Phases.GroupBy(p => p.Phase).Select(g => (Phase: g.Key, Seconds: g.Sum(p => p.Time.TotalSeconds))).OrderByDescending(p => p.Seconds).ToList();
        var total = all.Sum(p => p.Seconds);
        return string.Join("; ", all.Take(8).Select(p => $"{p.Phase} {p.Seconds:F3} s ({p.Seconds / Math.Max(1e-9, total):P0})"));
    }

    private static string Seconds(double s) => $"{s.ToString("F2", Inv)} s";

    private static TimeSpan ProcessorTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static long PeakWorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    internal static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
