using System.CommandLine;
using Spectre.Console;

namespace Cib.Client;

/// <summary><c>cib analyze</c>: the whole pipeline in-process on a file (batch mode for researchers).</summary>
internal static class AnalyzeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var cmd = new Command("analyze", "Run the whole pipeline in-process on a file and write networks, edges and graphs (not yet available)");
        cmd.SetAction(_ =>
        {
            console.MarkupLine("[red]error:[/] cib analyze is not built yet");
            return 2;
        });
        return cmd;
    }
}
