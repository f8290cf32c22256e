using Cib.Client;
using Cib.Detection.Formats;
using Spectre.Console;

namespace Cib.Client.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cib-cli-").FullName;
    private readonly StringWriter _out = new();

    private async Task<int> RunAsync(params string[] args)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_out), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 200;
        return await CibCommandLine.Build(console).Parse(args).InvokeAsync();
    }

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Simulate_writes_ndjson_that_reads_back_without_errors_and_a_ground_truth()
    {
        var file = Path.Combine(_dir, "day.ndjson");
        var truth = Path.Combine(_dir, "truth.csv");
        Assert.Equal(0, await RunAsync("simulate", "--out", file, "--truth", truth, "--accounts", "300", "--campaigns", "2"));
        var results = SignalFileReader.Open(file).ToList();
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Contains($"Wrote {results.Count:N0} signals", _out.ToString(), StringComparison.Ordinal);
        var rows = File.ReadAllLines(truth);
        Assert.Contains(rows, r => r.Contains(",campaign,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_rejects_bad_options_by_name()
    {
        Assert.Equal(2, await RunAsync("simulate", "--out", Path.Combine(_dir, "x.ndjson"), "--accounts", "3"));
        Assert.Contains("OrganicAccounts", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_of_a_missing_file_says_so()
    {
        Assert.Equal(2, await RunAsync("ingest", Path.Combine(_dir, "nope.ndjson")));
        Assert.Contains("does not exist", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_report_an_unreachable_silo_with_the_way_to_start_one()
    {
        Assert.Equal(1, await RunAsync("networks", "--server", "http://127.0.0.1:9"));
        Assert.Contains("cannot reach the silo", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Silo", _out.ToString(), StringComparison.Ordinal);
    }
}
