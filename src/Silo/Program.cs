using Cib.Detection.Simulation;
using Cib.Grains.Interfaces;
using Cib.Silo;
using Cib.Silo.Security;
using Spectre.Console;

// cib-silo [run|demo] [--data DIR] [--urls URL] [--exit] [--accounts N] [--seed N]
//          [--max-concurrent-ingests N] [--max-backlog N] [--store-busy-timeout SECONDS] [--redirects FILE.csv]
//          [--background-niceness 0-19] [--ingest-parallelism N]
var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "run";
if (mode is not ("run" or "demo"))
{
    Console.Error.WriteLine($"unknown command \"{mode}\": use \"run\" (serve the API) or \"demo\" (serve, feed a simulated day, sweep, print networks)");
    return 2;
}
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
SiloSettings settings;
try
{
    settings = SiloSettings.FromArguments(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
IReadOnlyDictionary<string, string>? redirects = null;
if (Option("--redirects") is { } redirectFile)
{
    try
    {
        using var reader = new StreamReader(redirectFile);
        redirects = Cib.Detection.CoActivity.UrlRedirects.Parse(reader);
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
    {
        Console.Error.WriteLine($"cannot read redirects \"{redirectFile}\": {ex.Message}");
        return 2;
    }
}
// Disposed on the way out so that a stop by Ctrl+C or SIGTERM closes the database cleanly after in-flight requests finish.
await using var app = CibSiloHost.Build(settings, o =>
{
    if (redirects is not null)
    {
        o.CoActivity = o.CoActivity with { Redirects = redirects };
    }
});
await app.StartAsync();
var address = app.Address();
AnsiConsole.MarkupLine($"Cib silo listening on [bold]{address}[/], data in [bold]{Path.GetFullPath(settings.DataDirectory)}[/]");
if (app.Services.GetRequiredService<BootstrapKey>().Key is { } adminKey)
{
    AnsiConsole.MarkupLine($"First run: created the admin key (shown once, stored only as a hash): [bold]{adminKey}[/]");
    AnsiConsole.MarkupLine("Create keys for people and systems with: cib keys create --name NAME --role ROLE --key ADMIN_KEY");
}
if (mode == "demo")
{
    var simulation = new SimulationOptions
    {
        OrganicAccounts = int.TryParse(Option("--accounts"), out var n) ? n : new SimulationOptions().OrganicAccounts,
        Seed = int.TryParse(Option("--seed"), out var seed) ? seed : new SimulationOptions().Seed,
    };
    // Every role, so that the same key feeds the demo and opens every page of the console, review actions included.
    var demoKey = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync("demo", [.. Roles.All], "system");
    await DemoRunner.RunAsync(address, demoKey.Key, simulation, AnsiConsole.Console, CancellationToken.None);
    AnsiConsole.MarkupLine($"Query the networks: [bold]curl -H \"Authorization: Bearer {demoKey.Key}\" {address}v1/networks[/]");
    AnsiConsole.MarkupLine($"or: [bold]CIB_KEY={demoKey.Key} dotnet run --project src/Client -- networks --server {address}[/]");
    AnsiConsole.MarkupLine($"Open the web console at [bold]{address}console/[/] and log in with the key above.");
    if (args.Contains("--exit"))
    {
        await app.StopAsync();
        return 0;
    }
}
AnsiConsole.MarkupLine("Press Ctrl+C to stop.");
await app.WaitForShutdownAsync();
return 0;
