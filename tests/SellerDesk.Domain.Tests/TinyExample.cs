using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Testing;

namespace SellerDesk.Domain.Tests;

/// <summary>The tiny example's request and ledger, and the JSON shapes its expected files use.</summary>
internal static class TinyExample
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static readonly JsonElement Request = SharedExamples.TinyExpected().GetProperty("request");

    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(Request.GetProperty("time_zone").GetString()!);

    public static ReportPeriod Period { get; } = new(Date("from"), Date("to"), Date("as_of"));

    public static TinyLedger Files { get; } = TinyLedger.Read();

    /// <summary>The fact path: facts computed once, summed for the request, turned into rows.</summary>
    public static FactReports FactReports(ReportPeriod? period = null)
    {
        var facts = EconomicsFacts.Build(Files.Sales, Files.Returns, Files.Costs, [], Zone);
        return new FactReports(ReportSums.Of(period ?? Period, facts, Files.Spend, Files.Fees));
    }

    /// <summary>Every difference between the expected JSON and the rows, which may carry more fields than expected.</summary>
    public static IReadOnlyList<string> Differences<T>(JsonElement expected, T actual) =>
        JsonAssert.Differences(expected, JsonSerializer.SerializeToElement(actual, Json), exactFields: false);

    public static object Wire(ChannelRow row)
    {
        var r = row.Rounded();
        return new
        {
            r.Marketplace, r.Channel, r.NewCustomers, r.IdentifiedCustomers, r.AttributedCustomers, r.Spend, r.Cac, r.FirstOrderMargin,
            r.FirstOrderProfit, r.LtvToDate, r.LtvCac, r.Verdict,
        };
    }

    /// <summary>A 4.1 row with the fields 4.6 adds, as the channels endpoint gives it.</summary>
    public static object Wire(ChannelRow row, ChannelRevenueRow revenue)
    {
        (revenue.Marketplace, revenue.Channel).Should().Be((row.Marketplace, row.Channel));
        var r = row.Rounded();
        var x = revenue.Rounded();
        return new
        {
            r.Marketplace, r.Channel, r.NewCustomers, r.IdentifiedCustomers, r.AttributedCustomers, r.Spend, r.Cac, r.FirstOrderMargin,
            r.FirstOrderProfit, r.LtvToDate, r.LtvCac, r.Verdict, x.Revenue, x.Drr, x.Roas,
        };
    }

    public static object Wire(CohortRow row)
    {
        var r = row.Rounded();
        return new { r.Marketplace, Cohort = r.Cohort.ToString(), r.Customers, r.Spend, r.Cac, r.Ltv, r.RevenueLtv, r.Retention, r.PaybackMonth };
    }

    public static object Wire(ProfitAndLossRow row)
    {
        var r = row.Rounded();
        return new
        {
            Month = r.Month.ToString(), r.Marketplace, r.Revenue, r.Refunds, r.Commission, r.Logistics, r.Acquiring, r.OtherFees, r.Cogs,
            r.ContributionMargin, r.PeriodFees, r.AdSpend, r.Profit,
        };
    }

    private static DateOnly Date(string field) =>
        DateOnly.ParseExact(Request.GetProperty(field).GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
