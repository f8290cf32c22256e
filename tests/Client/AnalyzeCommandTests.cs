using System.Text.Json;
using System.Xml.Linq;
using Cib.Client;
using Cib.Detection.Formats;
using Cib.Detection.Simulation;
using Spectre.Console;

namespace Cib.Client.Tests;

public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cib-analyze-").FullName;
    private readonly StringWriter _out = new();

    private async Task<int> RunAsync(params string[] args)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_out), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 200;
        return await CibCommandLine.Build(console).Parse(args).InvokeAsync();
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Semantics17()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "qut-compat", "semantics-17.csv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("shared/data/qut-compat/semantics-17.csv was not found in any folder above the tests (it lives in ../shared beside the checkout)");
    }

    /// <summary>A small simulated day with two campaigns, written as NDJSON under the test folder.</summary>
    private (SimulationResult Sim, string Path) SimulatedDay(string name)
    {
        var sim = PlatformSimulator.Run(new SimulationOptions { OrganicAccounts = 300, Campaigns = 2 });
        var input = Path.Combine(_dir, name);
        using var w = new StreamWriter(input);
        foreach (var s in sim.Signals)
        {
            NdjsonSignalWriter.Write(w, s);
        }
        return (sim, input);
    }

    [Fact]
    public async Task Analyze_writes_every_file_and_the_networks_hold_the_planted_members()
    {
        var (sim, input) = SimulatedDay("sim.ndjson");
        var outDir = Path.Combine(_dir, "out");
        Assert.Equal(0, await RunAsync("analyze", input, "--out", outDir));
        foreach (var name in AnalyzeCommand.OutputFiles)
        {
            Assert.True(new FileInfo(Path.Combine(outDir, name)).Length > 0, $"{name} is missing or empty");
        }
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "networks.json")));
        var networks = json.RootElement.GetProperty("networks").EnumerateArray().ToList();
        Assert.NotEmpty(networks);
        var found = networks.SelectMany(n => n.GetProperty("members").EnumerateArray().Select(m => m.GetString()!)).ToHashSet(StringComparer.Ordinal);
        foreach (var campaign in sim.Campaigns)
        {
            var hit = campaign.Accounts.Count(found.Contains);
            Assert.True(hit >= campaign.Accounts.Count * 0.8, $"{campaign.Id}: {hit} of {campaign.Accounts.Count} members in networks");
        }
        var first = networks[0];
        foreach (var field in new[] { "id", "score", "explanation", "edge_count", "dominant_kind", "first_seen", "last_seen", "model_version" })
        {
            Assert.True(first.TryGetProperty(field, out _), $"networks.json lacks \"{field}\"");
        }
        var gexf = XDocument.Load(Path.Combine(outDir, "graph.gexf"));
        Assert.Equal(found.Count, gexf.Descendants(XName.Get("node", "http://gexf.net/1.3")).Count());
        var graphml = XDocument.Load(Path.Combine(outDir, "graph.graphml"));
        Assert.Equal(found.Count, graphml.Descendants(XName.Get("node", "http://graphml.graphdrawing.org/xmlns")).Count());
        Assert.StartsWith("a,b,support,weight,jaccard,symmetry,mean_gap_s,kinds,evidence", File.ReadLines(Path.Combine(outDir, "edges.csv")).First(), StringComparison.Ordinal);
        Assert.Equal(sim.Accounts.Count + 1, File.ReadLines(Path.Combine(outDir, "accounts.csv")).Count());
        var console = _out.ToString();
        Assert.Contains("networks", console, StringComparison.Ordinal);
        Assert.Contains("peak working set", console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_with_window_auto_reports_the_windows_it_estimated_and_reads_redirects()
    {
        var (_, input) = SimulatedDay("auto.ndjson");
        var redirects = Path.Combine(_dir, "redirects.csv");
        File.WriteAllText(redirects, "short,long\nhttps://sho.rt/a,https://news.example/a\n");
        var outDir = Path.Combine(_dir, "auto");
        Assert.Equal(0, await RunAsync("analyze", input, "--out", outDir, "--window", "auto", "--redirects", redirects));

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "networks.json")));
        Assert.True(json.RootElement.GetProperty("windows_estimated").GetBoolean());
        var windows = json.RootElement.GetProperty("windows");
        Assert.Equal(12, windows.EnumerateObject().Count());
        Assert.True(windows.GetProperty("co-repost").GetDouble() >= 1);
        var estimates = json.RootElement.GetProperty("window_estimates").EnumerateArray().ToList();
        Assert.Contains(estimates, e => e.GetProperty("kind").GetString() == "co-repost" && e.GetProperty("estimated").GetBoolean());
        var console = _out.ToString();
        Assert.Contains("Windows estimated", console, StringComparison.Ordinal);
        Assert.Contains("Redirects: 1 pairs", console, StringComparison.Ordinal);

        Assert.Equal(2, await RunAsync("analyze", input, "--out", outDir, "--window", "soon"));
        Assert.Contains("--window must be a positive number of seconds or 'auto'", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_with_a_mean_occasion_weight_floor_keeps_fewer_networks_and_rejects_a_bad_floor()
    {
        var (_, input) = SimulatedDay("floor.ndjson");
        int Networks(string dir)
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "networks.json")));
            return json.RootElement.GetProperty("networks").GetArrayLength();
        }
        Assert.Equal(0, await RunAsync("analyze", input, "--out", Path.Combine(_dir, "plain")));
        // A floor of 1 keeps only edges whose every occasion had the pair alone in its window: the campaigns act in larger groups.
        Assert.Equal(0, await RunAsync("analyze", input, "--out", Path.Combine(_dir, "floor"), "--min-mean-occasion-weight", "1"));
        Assert.True(Networks(Path.Combine(_dir, "floor")) < Networks(Path.Combine(_dir, "plain")));

        Assert.Equal(2, await RunAsync("analyze", input, "--out", Path.Combine(_dir, "bad"), "--min-mean-occasion-weight", "2"));
        Assert.Contains("--min-mean-occasion-weight must be between 0 and 1 (got 2)", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_with_toolkit_writes_the_toolkits_networks()
    {
        var outDir = Path.Combine(_dir, "toolkit");
        Assert.Equal(0, await RunAsync("analyze", Semantics17(), "--out", outDir, "--toolkit", "--window", "60", "--min-weight", "1"));
        Assert.Equal(["user_1,user_2,weight", "a,a,2", "a,b,2", "b,a,1"], File.ReadAllLines(Path.Combine(outDir, "co_retweet.csv")));
        Assert.Equal(["user_1,user_2,weight", "c,d,2", "d,c,2", "g,h,2", "h,g,2"], File.ReadAllLines(Path.Combine(outDir, "co_tweet.csv")));
        Assert.Equal(["user_1,user_2,weight", "g,h,2", "h,g,2"], File.ReadAllLines(Path.Combine(outDir, "co_link.csv")));
        Assert.True(File.Exists(Path.Combine(outDir, "networks.json")));
    }

    [Fact]
    public async Task Analyze_toolkit_only_writes_just_the_three_networks()
    {
        var outDir = Path.Combine(_dir, "toolkit-only");
        Assert.Equal(0, await RunAsync("analyze", Semantics17(), "--out", outDir, "--toolkit-only", "--window", "60", "--min-weight", "1"));
        Assert.Equal(["co_link.csv", "co_retweet.csv", "co_tweet.csv"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["user_1,user_2,weight", "a,a,2", "a,b,2", "b,a,1"], File.ReadAllLines(Path.Combine(outDir, "co_retweet.csv")));
        Assert.Equal(["user_1,user_2,weight", "g,h,2", "h,g,2"], File.ReadAllLines(Path.Combine(outDir, "co_link.csv")));
        Assert.Contains("where the time went", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_times_a_toolkit_file_and_reports_percentiles_and_memory()
    {
        Assert.Equal(0, await RunAsync("bench", "--batch", Semantics17(), "--repeat", "2"));
        var text = _out.ToString();
        Assert.Contains("2 runs, best", text, StringComparison.Ordinal);
        Assert.Contains("peak working set", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_of_a_missing_file_says_so()
    {
        Assert.Equal(2, await RunAsync("analyze", Path.Combine(_dir, "nope.csv"), "--out", Path.Combine(_dir, "o")));
        Assert.Contains("does not exist", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_of_an_unknown_format_names_the_accepted_ones()
    {
        var input = Path.Combine(_dir, "odd.csv");
        File.WriteAllText(input, "x,y\n1,2\n");
        Assert.Equal(2, await RunAsync("analyze", input, "--out", Path.Combine(_dir, "o")));
        Assert.Contains("is not a known signal format", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_into_an_unwritable_folder_fails_before_reading()
    {
        var blocker = Path.Combine(_dir, "file-not-folder");
        File.WriteAllText(blocker, "");
        Assert.Equal(2, await RunAsync("analyze", Semantics17(), "--out", Path.Combine(blocker, "out")));
        Assert.Contains("cannot write to", _out.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Reading", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_with_toolkit_rejects_other_formats()
    {
        var input = Path.Combine(_dir, "one.ndjson");
        File.WriteAllText(input, "{\"id\":\"1\",\"account\":\"a\",\"kind\":\"post\",\"target\":\"1\",\"timestamp\":\"2024-01-01T00:00:00Z\"}\n");
        Assert.Equal(2, await RunAsync("analyze", input, "--out", Path.Combine(_dir, "o"), "--toolkit"));
        Assert.Contains("--toolkit needs", _out.ToString(), StringComparison.Ordinal);
    }
}
