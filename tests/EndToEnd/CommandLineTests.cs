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

    [Fact]
    public async Task Review_enforcement_governance_report_and_audit_verification_through_the_command_line()
    {
        await using var silo = await TestSilo.StartAsync();
        string[] Args(params string[] a) => [.. a, "--server", silo.Address.ToString(), "--key", silo.Key!];
        var lines = Enumerable.Range(0, 5).SelectMany(i => Enumerable.Range(0, 4).Select(a =>
            $$"""{"id":"w{{i}}-{{a}}","account":"w{{a}}","kind":"repost","target":"wp{{i}}","timestamp":"2026-01-05T1{{i}}:00:0{{a}}Z"}"""));
        Assert.Equal(0, (await silo.Client.IngestNdjsonAsync(string.Join("\n", lines))).Rejected);
        await silo.Client.SweepAsync();
        var network = (await silo.Client.GetAccountAsync("w0"))!.NetworkId!;

        var (code, output) = await RunAsync(Args("labels", "set", "w0", "--label", "government", "--reason", "ministry account"));
        Assert.Equal(0, code);
        (code, output) = await RunAsync(Args("exemptions", "add", "--account", "w1", "--reason", "legal hold", "--requester", "counsel", "--expires", DateTimeOffset.UtcNow.AddDays(7).ToString("O")));
        Assert.Equal(0, code);
        Assert.Contains("audited and counted in reports", output, StringComparison.Ordinal);
        (code, output) = await RunAsync(Args("review", network, "--decision", "confirm", "--reason", "same posts within seconds", "--action", "label"));
        Assert.Equal(0, code);
        Assert.Contains("confirmed", output, StringComparison.Ordinal);
        (code, output) = await RunAsync(Args("takedowns"));
        Assert.Equal(0, code);
        Assert.Contains("WITHHELD", output, StringComparison.Ordinal);
        Assert.Contains("government", output, StringComparison.Ordinal);
        var page = await silo.Client.GetTakedownsAsync();
        (code, output) = await RunAsync(Args([.. new[] { "takedowns", "ack" }, .. page.Entries.Select(e => e.Cursor.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        Assert.Equal(0, code);
        (code, output) = await RunAsync(Args("takedowns", "reverse", "--account", "w2", "--network", network, "--reason", "appeal upheld"));
        Assert.Equal(0, code);

        var dir = Directory.CreateTempSubdirectory("cib-report-").FullName;
        (code, output) = await RunAsync(Args("report", "--from", DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), "--to", DateTimeOffset.UtcNow.AddHours(1).ToString("O"), "--out", dir));
        Assert.Equal(0, code);
        var markdown = await File.ReadAllTextAsync(Path.Combine(dir, "report.md"));
        Assert.Contains("legal hold", markdown, StringComparison.Ordinal);
        Assert.Contains("appeal upheld", markdown, StringComparison.Ordinal);
        // No member layer is trained here: the report still says how many members it held back, apart from exemptions.
        Assert.Contains("| members held back by the member layer, left to reviewers | 0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("0 held back by the member layer", output, StringComparison.Ordinal);
        Assert.Contains("\"accountsActioned\"", await File.ReadAllTextAsync(Path.Combine(dir, "report.json")), StringComparison.Ordinal);
        Directory.Delete(dir, true);

        (code, output) = await RunAsync(Args("audit", "verify"));
        Assert.Equal(0, code);
        Assert.Contains("intact", output, StringComparison.Ordinal);

        // Someone with access to the database rewrites history: verification names the entry.
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(silo.DataDirectory, "cib.db")}"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "UPDATE audit_log SET details = '{}' WHERE action = 'network.confirmed'";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }
        (code, output) = await RunAsync(Args("audit", "verify"));
        Assert.Equal(5, code);
        Assert.Contains("TAMPERED", output, StringComparison.Ordinal);
        Assert.Contains("changed after it was written", output, StringComparison.Ordinal);
    }
}
