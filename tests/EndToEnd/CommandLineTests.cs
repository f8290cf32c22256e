using Cib.Client;
using Spectre.Console;

namespace Cib.EndToEnd.Tests;

/// <summary>The <c>cib</c> command line against a running silo.</summary>
public class CommandLineTests
{
    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 250;
        var code = await CibCommandLine.Build(console).Parse(args).InvokeAsync();
        return (code, output.ToString());
    }

    [Fact]
    public async Task Ingest_keeps_valid_records_reports_bad_ones_by_position_and_field_and_queries_print_tables()
    {
        await using var silo = await TestSilo.StartAsync();
        var server = silo.Address.ToString();
        string[] Args(params string[] a) => [.. a, "--server", server, "--key", silo.Key!];
        var dir = Directory.CreateTempSubdirectory("cib-e2e-cli-").FullName;
        var file = Path.Combine(dir, "mixed.ndjson");
        var lines = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            // Five accounts repost the same five posts seconds apart: one small coordinated network.
            for (var a = 0; a < 5; a++)
            {
                lines.Add($$"""{"id":"s{{i}}-{{a}}","account":"acct{{a}}","kind":"repost","target":"post{{i}}","timestamp":"2026-01-05T1{{i}}:00:0{{a}}Z"}""");
            }
        }
        lines.Insert(3, """{"id":"bad-1","account":"acct1","kind":"retweet","target":"p","timestamp":"2026-01-05T10:00:00Z"}""");
        await File.WriteAllLinesAsync(file, lines);

        var (code, output) = await RunAsync(Args("ingest", file));
        Assert.Equal(3, code);
        Assert.Contains("record 4 (id \"bad-1\"): \"kind\"", output, StringComparison.Ordinal);
        Assert.Contains("25 accepted", output, StringComparison.Ordinal);

        (code, output) = await RunAsync(Args("sweep"));
        Assert.Equal(0, code);
        Assert.Contains("1 networks", output, StringComparison.Ordinal);

        (code, output) = await RunAsync(Args("networks"));
        Assert.Equal(0, code);
        var id = System.Text.RegularExpressions.Regex.Match(output, "net-[0-9a-f]{10}").Value;
        Assert.NotEmpty(id);

        (code, output) = await RunAsync(Args("network", id));
        Assert.Equal(0, code);
        Assert.Contains("acct0", output, StringComparison.Ordinal);
        Assert.Contains("co-repost post", output, StringComparison.Ordinal);

        (code, output) = await RunAsync(Args("account", "acct3"));
        Assert.Equal(0, code);
        Assert.Contains(id, output, StringComparison.Ordinal);

        (code, output) = await RunAsync(Args("takedowns"));
        Assert.Equal(0, code);
        Assert.Contains("next cursor", output, StringComparison.Ordinal);

        (code, output) = await RunAsync(Args("network", "net-missing"));
        Assert.Equal(4, code);
        Assert.Contains("no network has id", output, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }
}
