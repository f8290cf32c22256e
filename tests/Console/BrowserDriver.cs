using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Cib.Console.Tests;

/// <summary>
/// Runs a scenario of <c>browser/console.mjs</c>: Node.js drives headless Chromium through playwright-core against a
/// silo and prints what it saw as one <c>RESULT {json}</c> line.
/// </summary>
internal static class BrowserDriver
{
    /// <summary>The Chromium binary: <c>$CIB_CHROMIUM</c>, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string Chromium => Environment.GetEnvironmentVariable("CIB_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>
    /// Where screenshots go: <c>$CIB_SCREENSHOTS</c>, relative to the repository (docs/screenshots refreshes the README's),
    /// else beside the tests.
    /// </summary>
    public static string Screenshots => Environment.GetEnvironmentVariable("CIB_SCREENSHOTS") is { Length: > 0 } dir
        ? Path.GetFullPath(dir, Path.GetFullPath(Path.Combine(Directory, "..", "..", "..")))
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static string Directory => typeof(BrowserDriver).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BrowserDriverDirectory").Value!;

    /// <summary>Runs <paramref name="scenario"/> logged in with <paramref name="key"/>; throws with the driver's output when it fails.</summary>
    public static async Task<JsonElement> RunAsync(Uri silo, string scenario, string key, object? args = null)
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException(
                $"the console's browser tests need Chromium at {Chromium} (set CIB_CHROMIUM to use another): install it with `apt-get install chromium` (.ci/run does)");
        }
        var start = new ProcessStartInfo("node", ["console.mjs", scenario])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CIB_URL"] = silo.ToString();
        start.Environment["CIB_KEY"] = key;
        start.Environment["CIB_CHROMIUM"] = Chromium;
        start.Environment["CIB_SHOTS"] = Screenshots;
        start.Environment["CIB_ARGS"] = JsonSerializer.Serialize(args ?? new { });
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A bound on a hung browser, not a measurement: every step inside has its own 30 s wait for an element.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scenario {scenario} did not finish in 3 minutes: {await stderr}");
        }
        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scenario {scenario} failed (exit {process.ExitCode}; screenshots in {Screenshots}):\n{errors}\n{output}");
        }
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"scenario {scenario} printed no RESULT line:\n{output}\n{errors}");
        return JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
    }
}
