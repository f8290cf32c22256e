using Cib.Benchmarks;

// `toolkit [copies]`: the side-by-side run against the coordination network toolkit; `generate copies file`:
// the same input written to a file; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "toolkit")
{
    return ToolkitScale.Run(args);
}
if (args.Length > 0 && args[0] == "generate")
{
    return ToolkitScale.Generate(args);
}
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(CoActivityBenchmarks).Assembly).Run(args);
return 0;
