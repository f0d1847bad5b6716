using System.Net;
using System.Text;
using SellerDesk.Testing;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The ledger the browser tests run over and the period they pin. The only place that knows which data is
/// loaded: today the tiny worked example of metrics.md (Jan to Mar 2026, three marketplaces), uploaded through
/// the API as a seller's script would.
/// </summary>
public static class TestLedger
{
    public const string From = "2026-01-01";
    public const string To = "2026-03-31";
    public const string AsOf = "2026-03-31";

    /// <summary>A day in the middle of the last month: that month is not over, so its cohort cells are immature.</summary>
    public const string MidMonthAsOf = "2026-03-15";

    /// <summary>A period with no sales at all.</summary>
    public const string EmptyFrom = "2024-01-01";
    public const string EmptyTo = "2024-03-31";

    public static string Query => $"from={From}&to={To}&as_of={AsOf}";

    /// <summary>App settings that go with this ledger (the demo seller stays out: the tiny files are loaded instead).</summary>
    /// <summary>The sandbox pauses between its day pages so that a pull's progress bar can be seen.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Demo:Seed"] = "false",
        ["Sandbox:PageDelay"] = "00:00:00.100",
    };

    public static async Task LoadAsync(HttpClient api)
    {
        ArgumentNullException.ThrowIfNull(api);
        foreach (var kind in new[] { "costs", "sales", "returns", "ad_spend", "fees" })
        {
            using var content = new StringContent(await File.ReadAllTextAsync(SharedExamples.Tiny(kind + ".csv")), Encoding.UTF8, "text/csv");
            using var response = await api.PostAsync(new Uri($"api/v1/imports/{kind}", UriKind.Relative), content);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Loading {kind}.csv failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}
