using Cib.Grains.Interfaces;

namespace Cib.Silo.Security;

/// <summary>The roles that may call an endpoint, as endpoint metadata (the role-matrix test reads it).</summary>
public sealed record RequiredRoles(IReadOnlyList<string> Roles);

/// <summary>Authenticates the request's key and checks its roles: 401 without a valid key, 403 outside the roles.</summary>
internal sealed class RoleFilter(IReadOnlyList<string> roles) : IEndpointFilter
{
    public const string CallerItem = "cib.caller";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var store = http.RequestServices.GetRequiredService<ApiKeyStore>();
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : http.Request.Headers["X-Api-Key"].ToString();
        var (caller, problem) = store.Authenticate(presented);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(detail: problem, statusCode: StatusCodes.Status401Unauthorized, title: "unauthenticated");
        }
        if (!roles.Any(caller.Roles.Contains))
        {
            return Results.Problem(
                detail: $"key \"{caller.Name}\" ({caller.KeyId}) has roles {string.Join(", ", caller.Roles.Order())}; this needs one of {string.Join(", ", roles)}",
                statusCode: StatusCodes.Status403Forbidden, title: "forbidden");
        }
        http.Items[CallerItem] = caller;
        return await next(context);
    }
}

/// <summary>Attaches role checks to endpoints.</summary>
internal static class RoleFilterExtensions
{
    public static RouteHandlerBuilder RequireRoles(this RouteHandlerBuilder builder, params string[] roles) =>
        builder.AddEndpointFilter(new RoleFilter(roles)).WithMetadata(new RequiredRoles(roles));

    /// <summary>The caller that the role filter authenticated.</summary>
    public static Caller Caller(this HttpContext http) => (Caller)http.Items[RoleFilter.CallerItem]!;

    /// <summary>Readers: investigators, reviewers and admins.</summary>
    public static readonly string[] Readers = [Roles.Investigator, Roles.Reviewer, Roles.Admin];
}
