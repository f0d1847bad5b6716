using System.Text.Json;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>The figures the API returns, to hold the pages against.</summary>
public sealed class ReportApi(HttpClient api)
{
    public async Task<IReadOnlyList<JsonElement>> ChannelsAsync(string query) => await RowsAsync("channels", query);

    public async Task<IReadOnlyList<JsonElement>> MarketplacesAsync(string query) => await RowsAsync("marketplaces", query);

    public async Task<IReadOnlyList<JsonElement>> CohortsAsync(string query) => await RowsAsync("cohorts", query);

    public async Task<string> CohortsCsvAsync(string query)
    {
        using var response = await api.GetAsync(new Uri($"api/v1/reports/cohorts?{query}&format=csv", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<IReadOnlyList<JsonElement>> PnlAsync(string query) => await RowsAsync("pnl", query);

    private async Task<IReadOnlyList<JsonElement>> RowsAsync(string report, string query)
    {
        using var response = await api.GetAsync(new Uri($"api/v1/reports/{report}?{query}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty(report).EnumerateArray().Select(e => e.Clone()).ToList();
    }
}

public static class JsonValues
{
    public static decimal? Number(this JsonElement row, string name) =>
        row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetDecimal();

    public static string Text(this JsonElement row, string name) => row.GetProperty(name).GetString()!;
}
