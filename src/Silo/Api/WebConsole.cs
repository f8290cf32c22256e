using Microsoft.Extensions.FileProviders;

namespace Cib.Silo.Api;

/// <summary>
/// The investigators' web console: static files bundled at build time (src/Silo/Console) and served at
/// <c>/console/</c>, on the API's origin, so that the page calls <c>/v1</c> with the key the user pastes and the
/// same roles apply. The page holds no secret and no data of its own.
/// </summary>
internal static class WebConsole
{
    /// <summary>Where the console is served.</summary>
    public const string RequestPath = "/console";

    /// <summary>The folder beside the silo's assembly that the build fills with the bundle.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "console");

    // Scripts only from the silo itself: a signal's text shown on a page can never run as code. Inline styles are
    // allowed because the graph library writes its own; nothing is fetched from anywhere else, so the page works offline.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static void MapWebConsole(this WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect(RequestPath + "/")).ExcludeFromDescription();
        if (!File.Exists(Path.Combine(Folder, "index.html")))
        {
            // Only a build that skipped the npm step gets here; the API works without the console.
            app.MapGet(RequestPath + "/{**rest}", () => Results.Problem(
                detail: "the web console was not built into this silo: build it with Node.js 20+ and npm on PATH (dotnet build src/Silo)",
                statusCode: StatusCodes.Status404NotFound, title: "console not built"));
            return;
        }
        var files = new PhysicalFileProvider(Folder);
        app.Lifetime.ApplicationStopped.Register(files.Dispose);
        // Adds the trailing slash to /console and serves index.html for /console/.
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = RequestPath });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = RequestPath,
            OnPrepareResponse = ctx =>
            {
                var headers = ctx.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // The bundle's names do not change between builds: revalidate so that a rebuilt silo serves the new page.
                headers.CacheControl = "no-cache";
            },
        });
    }
}
