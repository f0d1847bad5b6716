using Serilog;
using Serilog.Formatting.Json;

namespace SellerDesk.Web.Infrastructure;

internal static class LoggingExtensions
{
    /// <summary>
    /// Serilog as the logging provider (Serilog.AspNetCore is not in the registry): console, or JSON lines when
    /// <c>Logging:Json</c> is true; levels and extra sinks from the <c>Serilog</c> configuration section.
    /// </summary>
    public static WebApplicationBuilder AddSellerDeskLogging(this WebApplicationBuilder builder)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(builder.Configuration);
        configuration = builder.Configuration.GetValue<bool>("Logging:Json")
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true))
            : configuration.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);

        var logger = configuration.CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Services.AddHttpLogging(options =>
            options.LoggingFields = Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestMethod
                | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestPath
                | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.ResponseStatusCode
                | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.Duration);
        return builder;
    }
}
