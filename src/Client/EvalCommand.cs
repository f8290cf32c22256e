using System.CommandLine;
using System.Globalization;
using Cib.Detection.Evaluation;
using Spectre.Console;

namespace Cib.Client;

/// <summary>
/// <c>cib eval</c>: runs the in-process pipeline on every simulator scenario and on the labelled real
/// data sets, and prints account precision, recall, F1, the adjusted Rand index of the networks and
/// the false-positive rate among organic accounts.
/// </summary>
internal static class EvalCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(IAnsiConsole console)
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Folder with ira-2016/ and lee-2011/ (default: $CIB_DATA, or ../shared/data next to the folder holding Cib.sln)" };
        var scenarios = new Option<string[]>("--scenarios")
        {
            Description = $"Simulator scenarios to run (default all: {string.Join(", ", EvaluationScenarios.All.Select(s => s.Name))}); 'none' for none",
            AllowMultipleArgumentsPerToken = true,
        };
        var skipReal = new Option<bool>("--skip-real") { Description = "Do not evaluate on the real data sets" };
        var window = new Option<string>("--window")
        {
            Description = "'fixed' (default): each kind's configured window; 'auto': estimate each kind's window from the data as CooRnet does (median time to half of the shares over the fastest 10% of targets)",
            DefaultValueFactory = _ => "fixed",
        };
        var cmd = new Command("eval", "Measure detection on simulated scenarios and labelled real data (IRA 2016, Lee 2011)") { data, scenarios, skipReal, window };
        cmd.SetAction(pr => Run(console, pr.GetValue(data), pr.GetValue(scenarios) ?? [], pr.GetValue(skipReal), pr.GetValue(window) ?? "fixed"));
        return cmd;
    }

    private static int Run(IAnsiConsole con, DirectoryInfo? dataOption, string[] names, bool skipReal, string window)
    {
        if (window is not ("fixed" or "auto"))
        {
            con.MarkupLineInterpolated($"[red]error:[/] --window must be 'fixed' or 'auto' (got \"{window}\")");
            return 2;
        }
        var auto = window == "auto";
        var chosen = new List<EvaluationScenario>();
        var requested = names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (requested.Count == 0)
        {
            chosen.AddRange(EvaluationScenarios.All);
        }
        else if (!(requested.Count == 1 && requested[0].Equals("none", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var name in requested)
            {
                if (EvaluationScenarios.Find(name) is not { } scenario)
                {
                    con.MarkupLineInterpolated($"[red]error:[/] unknown scenario \"{name}\"; choose from {string.Join(", ", EvaluationScenarios.All.Select(s => s.Name))}");
                    return 2;
                }
                chosen.Add(scenario);
            }
        }
        string? folder = null;
        string? bar = null;
        if (!skipReal)
        {
            folder = dataOption?.FullName ?? Environment.GetEnvironmentVariable("CIB_DATA") ?? RealDataSets.Locate(Environment.CurrentDirectory);
            if (folder is null || !Directory.Exists(folder))
            {
                con.MarkupLineInterpolated($"[red]error:[/] no data folder{(folder is null ? "" : $" at \"{folder}\"")}: pass --data DIR, set $CIB_DATA, or run from inside the repository next to ../shared/data; --skip-real evaluates the scenarios only");
                return 2;
            }
        }
        var table = new Table().AddColumns("data set", "signals", "precision", "recall", "F1", "ARI", "organic FP rate", "flagged / organic", "networks", "pair precision", "coverage", "windows", "seconds");
        var rows = new List<EvaluationReport>();
        foreach (var scenario in chosen)
        {
            con.MarkupLineInterpolated($"scenario {scenario.Name}: {scenario.Description}");
            var dataset = scenario.Build();
            rows.Add(DetectionEvaluator.Evaluate(dataset, RealDataSets.Windows(dataset.Name), RealDataSets.Detection(dataset.Name), auto));
        }
        if (folder is not null)
        {
            try
            {
                con.MarkupLineInterpolated($"ira-2016: all 2016 tweets of the operation, with one simulated organic day (5,000 accounts) on its busiest day, from {folder}");
                var ira = RealDataSets.Ira(folder);
                rows.Add(DetectionEvaluator.Evaluate(ira, RealDataSets.Windows(ira.Name), RealDataSets.Detection(ira.Name), auto));
                if (!auto)
                {
                    con.MarkupLineInterpolated($"ira-2016 again with the {RealDataSets.MinuteResolutionProfile}: 10-minute co-repost window, mean occasion weight at least 0.3");
                    var profiled = DetectionEvaluator.Evaluate(ira, RealDataSets.MinuteResolutionWindows(RealDataSets.Windows(ira.Name)),
                        RealDataSets.MinuteResolutionDetection(RealDataSets.Detection(ira.Name)));
                    rows.Add(profiled with { Dataset = $"ira-2016, {RealDataSets.MinuteResolutionProfile}" });
                }
                con.MarkupLineInterpolated($"lee-2011: content polluters and legitimate users, from {folder}");
                var lee = RealDataSets.Lee(folder);
                rows.Add(DetectionEvaluator.Evaluate(lee, RealDataSets.Windows(lee.Name), RealDataSets.Detection(lee.Name), auto));
                if (!auto)
                {
                    con.MarkupLineInterpolated($"lee-2011 again with {RealDataSets.ReviewedProfile}: co-link and co-text within {RealDataSets.LongHorizon.TotalDays:0} days, every network reviewed, members chosen by a layer trained on reviewers' decisions ({ReviewedMembersEvaluator.DefaultFolds}-fold cross-validated over networks)");
                    var reviewed = ReviewedMembersEvaluator.Evaluate(lee, RealDataSets.LongHorizonWindows(RealDataSets.Windows(lee.Name)),
                        RealDataSets.ReviewedDetection(RealDataSets.Detection(lee.Name)));
                    rows.Add(reviewed with { Dataset = $"lee-2011, {RealDataSets.ReviewedProfile}" });
                }
                bar = string.Join("; ", new[] { 1, 2, 3 }.Select(k =>
                {
                    var m = SharingRule.Measure(lee, k);
                    return $"at least {k} shared: precision {F(m.Precision)}, recall {F(m.Recall)}";
                }));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                con.MarkupLineInterpolated($"[red]error:[/] cannot read the real data: {ex.Message}");
                return 2;
            }
        }
        foreach (var r in rows)
        {
            var m = r.Accounts;
            table.AddRow(r.Dataset, r.Signals.ToString("N0", Inv), F(m.Precision), F(m.Recall), F(m.F1), F(r.AdjustedRand),
                (m.FalsePositiveRate * 100).ToString("F2", Inv) + "%", $"{m.FalsePositives.ToString(Inv)} / {m.OrganicAccounts.ToString("N0", Inv)}",
                $"{r.FlaggedNetworks.ToString(Inv)} / {r.Networks.ToString(Inv)}", F(r.PairPrecision), r.Coverage is { } c ? F(c) : "-", r.WindowsEstimated ? "auto" : "fixed", r.Elapsed.TotalSeconds.ToString("F1", Inv));
        }
        if (Console.IsOutputRedirected)
        {
            // Piped output has no terminal width; the default 80 columns would wrap every cell.
            con.Profile.Width = Math.Max(con.Profile.Width, 180);
        }
        con.Write(table);
        foreach (var group in rows.GroupBy(r => r.WindowsText))
        {
            con.MarkupLineInterpolated($"windows used ({string.Join(", ", group.Select(r => r.Dataset))}): {group.Key}");
        }
        if (bar is not null)
        {
            con.MarkupLineInterpolated($"lee-2011 bar, issue 3's naive rule (accounts sharing canonical URLs or identical texts with another account, no window), measured here: {bar}");
        }
        con.MarkupLine("flagged = members of networks scoring at or above the takedown threshold (reviewed members: the members the cross-validated member layer puts forward); ARI over flagged accounts (an organic account is its own group); pair precision = flagged pairs sharing a network that share a true group; coverage (IRA) = share of operation accounts with >= 20 retweets that are flagged");
        return 0;
    }

    private static string F(double x) => x.ToString("F3", Inv);
}
