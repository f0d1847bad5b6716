using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Api;

/// <summary>
/// The JSON answers of the report endpoints, serialized once per <see cref="FactReports"/> (one workspace, period and
/// ledger version: the report service keeps and shares it) and variant (the endpoint and its filters), however many
/// requests ask. A SKU answer is hundreds of kilobytes: building its rows and JSON per request was most of a warm
/// request's cost (issue 11 point 3). The bytes live as long as the report service keeps their
/// <see cref="FactReports"/>, and a new ledger version is a new one, so an answer is never older than the figures.
/// </summary>
internal static class ReportAnswers
{
    /// <summary>At most this many variants are kept per reports object: filters are the caller's text.</summary>
    internal const int MaxVariants = 32;

    private const string JsonType = "application/json; charset=utf-8";

    private static readonly ConditionalWeakTable<FactReports, ConcurrentDictionary<string, Lazy<byte[]>>> Held = [];

    /// <summary>
    /// The answer <paramref name="build"/> makes, as the endpoints' JSON options write it: from the bytes kept for
    /// (<paramref name="reports"/>, <paramref name="variant"/>), or built, serialized and kept now.
    /// </summary>
    public static IResult Json<T>(HttpContext http, FactReports reports, string variant, Func<T> build)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(build);
        var answers = Held.GetValue(reports, _ => new ConcurrentDictionary<string, Lazy<byte[]>>(StringComparer.Ordinal));
        if (!answers.TryGetValue(variant, out var bytes))
        {
            // Built only on a miss: the warm path allocates nothing but the result.
            var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var made = new Lazy<byte[]>(() => JsonSerializer.SerializeToUtf8Bytes(build(), options));
            bytes = answers.Count < MaxVariants ? answers.GetOrAdd(variant, made) : made;
        }

        try
        {
            return Results.Bytes(bytes.Value, JsonType);
        }
        catch
        {
            // A Lazy keeps its exception: the next request builds the answer again rather than failing the same way.
            answers.TryRemove(KeyValuePair.Create(variant, bytes));
            throw;
        }
    }
}
