using System.Text.Json;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;

namespace SellerDesk.Domain.Tests;

/// <summary>
/// metrics.md section 5: the files of the tiny example (tests/examples/tiny, a copy of the contract's), read by the real ledger file reader and computed by
/// the domain alone, give expected.json to the kopeck.
/// </summary>
public sealed class TinyExampleTests
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static async Task<UnitEconomicsReports> ComputeAsync()
    {
        var expected = SharedExamples.TinyExpected().GetProperty("request");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(expected.GetProperty("time_zone").GetString()!);
        var period = new ReportPeriod(
            DateOnly.Parse(expected.GetProperty("from").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(expected.GetProperty("to").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(expected.GetProperty("as_of").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        var sales = await ReadAsync<SaleLine>("sales.csv", zone);
        var returns = await ReadAsync<ReturnEvent>("returns.csv", zone);
        var costs = await ReadAsync<UnitCost>("costs.csv", zone);
        var spend = await ReadAsync<AdSpend>("ad_spend.csv", zone);
        var fees = await ReadAsync<PeriodFee>("fees.csv", zone);

        var orders = OrderFactBuilder.Build(sales, returns, costs, zone, period.AsOf);
        return new UnitEconomicsReports(period, ReportInputs.FromOrders(orders, spend, fees, period.AsOf));
    }

    [Fact]
    public async Task The_channel_report_matches_expected_json()
    {
        var reports = await ComputeAsync();
        var actual = reports.Channels().Select(r => r.Rounded()).Select(r => new
        {
            r.Marketplace, r.Channel, r.NewCustomers, r.IdentifiedCustomers, r.Spend, r.Cac, r.FirstOrderMargin,
            r.FirstOrderProfit, r.LtvToDate, r.LtvCac, r.Verdict,
        });

        Compare("channels", actual).Should().BeEmpty();
    }

    [Fact]
    public async Task The_marketplace_report_matches_expected_json()
    {
        var reports = await ComputeAsync();

        Compare("marketplaces", reports.Marketplaces().Select(r => r.Rounded())).Should().BeEmpty();
    }

    [Fact]
    public async Task The_cohort_report_matches_expected_json()
    {
        var reports = await ComputeAsync();
        var actual = reports.Cohorts().Select(r => r.Rounded()).Select(r => new
        {
            r.Marketplace, Cohort = r.Cohort.ToString(), r.Customers, r.Spend, r.Cac, r.Ltv, r.RevenueLtv, r.Retention, r.PaybackMonth,
        });

        Compare("cohorts", actual).Should().BeEmpty();
    }

    [Fact]
    public async Task A_first_order_late_on_january_31_utc_is_a_february_customer_in_moscow()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var sales = await ReadAsync<SaleLine>("sales.csv", zone);
        var orders = OrderFactBuilder.Build(sales, [], [], zone, new DateOnly(2026, 3, 31));

        var c2 = Customer.FromOrders(orders, new DateOnly(2026, 3, 31)).Single(c => c.Key == "c2");
        c2.Cohort.Should().Be(new YearMonth(2026, 2));
        c2.AcquisitionChannel.Should().Be("blogger_anna");
    }

    private static IReadOnlyList<string> Compare<T>(string report, IEnumerable<T> rows) =>
        JsonAssert.Differences(
            SharedExamples.TinyExpected().GetProperty(report),
            JsonSerializer.SerializeToElement(rows, Json),
            exactFields: false);

    private static async Task<List<T>> ReadAsync<T>(string file, TimeZoneInfo zone)
        where T : class
    {
        await using var stream = File.OpenRead(SharedExamples.Tiny(file));
        using var reader = await LedgerFileReader.OpenAsync<T>(stream, zone);
        var records = new List<T>();
        while (await reader.ReadAsync())
        {
            records.Add(reader.Current.Record);
        }

        reader.Problems.Count.Should().Be(0, $"{file} is valid");
        return records;
    }
}
