using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SellerDesk.Web.Infrastructure;

internal static class ErrorHandlingExtensions
{
    /// <summary>
    /// No stack traces for users: API callers get RFC 7807 problem details, browsers the app's error page. A database
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

            // Browsers get the app's own error page (Components/Pages/ErrorPage.razor), in the visitor's language.
            var culture = SellerDesk.Web.Components.UiCulture.Of(context);
            System.Globalization.CultureInfo.CurrentCulture = culture;
            System.Globalization.CultureInfo.CurrentUICulture = culture;
            var page = new RazorComponentResult<SellerDesk.Web.Components.Pages.ErrorPage>(new
            {
                DatabaseDown = databaseDown,
                Retry = context.Request.Path + context.Request.QueryString,
                Dark = SellerDesk.Web.Components.UiTheme.IsDark(context),
            })
            {
                StatusCode = status,
            };
            await page.ExecuteAsync(context);
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
