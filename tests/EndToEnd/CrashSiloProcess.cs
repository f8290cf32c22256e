using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Cib.EndToEnd.Tests;

/// <summary>
/// The silo as an operator runs it: a separate process (<c>dotnet Cib.Silo.dll run</c>) on a data folder and a free
/// loopback port, so that it can be killed outright (SIGKILL) without taking the test down with it.
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Where the silo listens.</summary>
    public Uri Address { get; }

    /// <summary>What the silo printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The admin key printed on the first run of a data folder, or null.</summary>
    public string? AdminKey => AdminKeyPattern().Match(Output) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Starts the silo on <paramref name="dataDirectory"/> and returns once it answers <c>/healthz</c>.</summary>
    public static async Task<SiloProcess> StartAsync(string dataDirectory, CancellationToken ct)
    {
        // The test project references the silo project, so its build output sits next to the test assembly.
        var silo = Path.Combine(AppContext.BaseDirectory, "Cib.Silo.dll");
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { silo, "run", "--data", dataDirectory, "--urls", address.ToString().TrimEnd('/') })
        {
            info.ArgumentList.Add(a);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var result = new SiloProcess(process, address);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await result.DisposeAsync();
                throw new InvalidOperationException($"the silo did not come up (exited: {process.HasExited}):\n{result.Output}");
            }
            try
            {
                using var health = await http.GetAsync("healthz", ct);
                // The admin key is printed right after the server starts; wait for the line that follows it.
                if (health.StatusCode == HttpStatusCode.OK && result.Output.Contains("Press Ctrl+C", StringComparison.Ordinal))
                {
                    return result;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(100, ct);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"First run: created the admin key.*?(cib_[0-9a-f]{12}_[A-Za-z0-9_\-]+)", RegexOptions.Singleline)]
    private static partial Regex AdminKeyPattern();
}
