using Cib.Detection.Simulation;
using Cib.Silo;
using Spectre.Console;

// cib-silo [run|demo] [--data DIR] [--urls URL] [--exit] [--accounts N] [--seed N]
var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "run";
if (mode is not ("run" or "demo"))
{
    Console.Error.WriteLine($"unknown command \"{mode}\": use \"run\" (serve the API) or \"demo\" (serve, feed a simulated day, sweep, print networks)");
    return 2;
}
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var settings = new SiloSettings
{
    DataDirectory = Option("--data") ?? "data",
    Urls = Option("--urls") ?? "http://127.0.0.1:5080",
};
var app = CibSiloHost.Build(settings);
await app.StartAsync();
var address = app.Address();
AnsiConsole.MarkupLine($"Cib silo listening on [bold]{address}[/], data in [bold]{Path.GetFullPath(settings.DataDirectory)}[/]");
if (mode == "demo")
{
    var simulation = new SimulationOptions
    {
        OrganicAccounts = int.TryParse(Option("--accounts"), out var n) ? n : new SimulationOptions().OrganicAccounts,
        Seed = int.TryParse(Option("--seed"), out var seed) ? seed : new SimulationOptions().Seed,
    };
    await DemoRunner.RunAsync(address, simulation, AnsiConsole.Console, CancellationToken.None);
    AnsiConsole.MarkupLine($"Query the networks: [bold]curl {address}v1/networks[/]   the takedown list: [bold]curl {address}v1/takedowns[/]");
    if (args.Contains("--exit"))
    {
        await app.StopAsync();
        return 0;
    }
}
AnsiConsole.MarkupLine("Press Ctrl+C to stop.");
await app.WaitForShutdownAsync();
return 0;
