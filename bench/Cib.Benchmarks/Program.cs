using Cib.Benchmarks;

// `toolkit [copies]`: the side-by-side run against the coordination network toolkit; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "toolkit")
{
    return ToolkitScale.Run(args);
}
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(CoActivityBenchmarks).Assembly).Run(args);
return 0;
