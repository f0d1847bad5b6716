using System.Net;
using Microsoft.AspNetCore.Diagnostics;

namespace SellerDesk.Web.Infrastructure;

internal static class ErrorHandlingExtensions
{
    /// <summary>
    /// No stack traces for users: API callers get RFC 7807 problem details, browsers a plain page. A database
    /// that cannot be reached is said in those words (503), and the next request works once it is back.
    /// </summary>
    public static WebApplication UseSellerDeskErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var databaseDown = IsDatabaseUnavailable(exception);
            var status = databaseDown ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
            var title = databaseDown
                ? "The database is not reachable right now. SellerDesk will recover by itself when it is back; try again in a moment."
                : "Something went wrong on our side. The error has been logged; try again, and tell us if it keeps happening.";
            context.Response.StatusCode = status;
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                await Results.Problem(title: title, statusCode: status).ExecuteAsync(context);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                $$"""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>SellerDesk</title>
                <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;color:#222}</style></head>
                <body><h1>SellerDesk</h1><p>{{WebUtility.HtmlEncode(title)}}</p><p><a href="/">Reload</a></p></body></html>
                """);
        }));
        return app;
    }

    public static bool IsDatabaseUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException)
            {
                return true;
            }

            if (e is Npgsql.PostgresException { SqlState: "57P01" or "57P03" or "3D000" or "53300" })
            {
                return true;
            }
        }

        return false;
    }
}
