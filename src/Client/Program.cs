using Cib.Client;

return await CibCommandLine.Build().Parse(args).InvokeAsync();
