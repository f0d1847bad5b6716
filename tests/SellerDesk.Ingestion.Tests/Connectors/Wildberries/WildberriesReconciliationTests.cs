using System.Globalization;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>
/// The two sides of reconciliation at connector level: the marketplace's own payout read from the raw report lines
/// (<see cref="WildberriesConnector.MarketplacePayout"/>) against the payout of the ledger the mapping made plus its
/// gaps, in all and per order. They agree to the kopeck on a realistic report and differ, on the right order, when the
/// mapping's output is broken on purpose.
/// </summary>
public sealed class WildberriesReconciliationTests(WildberriesReconciliationTests.MonthPull month) : IClassFixture<WildberriesReconciliationTests.MonthPull>
{
    private readonly WildberriesHarness _wb = month.Harness;
    private readonly List<SourceRow> _rows = month.Rows;

    private static FakeWildberriesReport Month => MonthPull.Report;

    [Fact]
    public void On_a_realistic_month_the_marketplace_payout_equals_the_ledger_payout_to_the_kopeck_in_all_and_per_order()
    {
        var ledger = _wb.Connector.Map(_rows, WildberriesHarness.Moscow);

        ledger.Gaps.Should().BeEmpty();
        ledger.Sales.Should().HaveCountGreaterThan(700);
        var marketplace = _wb.Connector.MarketplacePayout(_rows);
        marketplace.Should().Be(DerivedPayout.Of(ledger));
        marketplace.Should().Be(Month.Lines.Sum(LinePayout), "the figure is the report's own, line by line");
        Differences(ledger).Should().BeEmpty("every order with a sale agrees to the kopeck");
    }

    [Fact]
    public void A_sale_counted_twice_by_a_broken_mapping_makes_the_payouts_differ_by_that_sale_on_its_order()
    {
        var ledger = _wb.Connector.Map(_rows, WildberriesHarness.Moscow);
        var twice = ledger.Sales[ledger.Sales.Count / 2];
        var broken = ledger with { Sales = [.. ledger.Sales, twice] };

        var difference = _wb.Connector.MarketplacePayout(_rows) - DerivedPayout.Of(broken);

        var salePayout = twice.Revenue - twice.Commission - twice.Acquiring - twice.Logistics - twice.OtherFees;
        difference.Should().Be(-salePayout);
        Differences(broken).Should().Equal((twice.OrderId, -salePayout));
    }

    [Fact]
    public void A_return_the_mapping_lost_makes_the_payouts_differ_by_what_it_took_back_on_its_order()
    {
        var ledger = _wb.Connector.Map(_rows, WildberriesHarness.Moscow);
        var lost = ledger.Returns[0];
        var broken = ledger with { Returns = [.. ledger.Returns.Skip(1)] };

        var difference = _wb.Connector.MarketplacePayout(_rows) - DerivedPayout.Of(broken);

        var taken = lost.Refund - lost.CommissionRefund + lost.ReturnLogistics;
        difference.Should().Be(-taken);
        Differences(broken).Should().Equal((lost.OrderId, -taken));
    }

    [Fact]
    public void A_commission_misread_by_a_broken_mapping_makes_the_payouts_differ_by_the_kopecks_it_got_wrong()
    {
        var ledger = _wb.Connector.Map(_rows, WildberriesHarness.Moscow);
        var wrong = ledger.Sales[7];
        var broken = ledger with { Sales = [.. ledger.Sales.Select(s => s == wrong ? s with { Commission = s.Commission + 0.01m } : s)] };

        (_wb.Connector.MarketplacePayout(_rows) - DerivedPayout.Of(broken)).Should().Be(0.01m);
        Differences(broken).Should().Equal((wrong.OrderId, 0.01m));
    }

    [Fact]
    public void A_period_fee_the_mapping_lost_makes_the_payouts_differ_by_its_amount()
    {
        var ledger = _wb.Connector.Map(_rows, WildberriesHarness.Moscow);
        var lost = ledger.Fees.First(f => f.Kind == "storage");
        var broken = ledger with { Fees = [.. ledger.Fees.Where(f => f != lost)] };

        (_wb.Connector.MarketplacePayout(_rows) - DerivedPayout.Of(broken)).Should().Be(-lost.Amount);
        Differences(broken).Should().BeEmpty("a period fee belongs to a date, not to an order");
    }

    [Fact]
    public void A_line_the_mapping_cannot_read_still_counts_on_the_marketplace_side_and_its_gap_names_the_order()
    {
        var sale = Month.Lines.First(l => l.SupplierOperName == "Продажа");
        var id = sale.RrdId.ToString(CultureInfo.InvariantCulture);
        var rows = _rows.Select(r => r.SourceId == id && r.Feed == WildberriesConnector.RealizationFeed
            ? r with { Payload = r.Payload.Replace("\"retailAmount\":\"", "\"retailAmount\":\"n/a", StringComparison.Ordinal) }
            : r).ToList();

        var ledger = _wb.Connector.Map(rows, WildberriesHarness.Moscow);

        _wb.Connector.MarketplacePayout(rows).Should().Be(_wb.Connector.MarketplacePayout(_rows), "the marketplace's side does not read through the mapping");
        var gap = ledger.Gaps.Should().ContainSingle(g => g.SourceIds.Contains(id)).Subject;
        gap.OrderKey.Should().Be(sale.Srid);
        gap.PayoutEffect.Should().Be(sale.PpvzForPay);
        (DerivedPayout.Of(ledger) + ledger.Gaps.Sum(g => g.PayoutEffect)).Should().Be(_wb.Connector.MarketplacePayout(rows));
    }

    /// <summary>The report's payout of one line, worked out here from the fake's own figures (not from any payload).</summary>
    private static decimal LinePayout(FakeWbReportLine line)
    {
        var sign = line.SupplierOperName == "Возврат" || (line.SupplierOperName.Length == 0 && line.DocTypeName == "Возврат") ? -1m : 1m;
        return (sign * line.PpvzForPay) - line.DeliveryRub - line.Penalty - line.StorageFee - line.Acceptance - line.Deduction + line.AdditionalPayment;
    }

    /// <summary>
    /// Per order with a sale in <paramref name="ledger"/>: the marketplace's payout of that order's rows minus the
    /// ledger payout of its sales and returns plus its gaps; only the orders where they differ.
    /// </summary>
    private List<(string OrderId, decimal Difference)> Differences(DerivedLedger ledger)
    {
        var rowsByOrder = _rows.Where(r => r.OrderKey is not null).GroupBy(r => r.OrderKey!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var differences = new List<(string, decimal)>();
        foreach (var order in ledger.Sales.Select(s => s.OrderId).Distinct().Order(StringComparer.Ordinal))
        {
            var own = new DerivedLedger([.. ledger.Sales.Where(s => s.OrderId == order)], [.. ledger.Returns.Where(r => r.OrderId == order)], [], []);
            var difference = _wb.Connector.MarketplacePayout(rowsByOrder[order])!.Value
                - DerivedPayout.Of(own) - ledger.Gaps.Where(g => g.OrderKey == order).Sum(g => g.PayoutEffect);
            if (difference != 0m)
            {
                differences.Add((order, difference));
            }
        }

        return differences;
    }

    /// <summary>A realistic month pulled once from the fake for all the tests of the class.</summary>
    public sealed class MonthPull : IAsyncLifetime
    {
        public static readonly DateOnly From = new(2026, 2, 1);

        public static FakeWildberriesReport Report { get; } = FakeWildberriesReport.Generate(From, days: 28, ordersPerDay: 30, seed: 17);

        internal WildberriesHarness Harness { get; private set; } = null!;

        public List<SourceRow> Rows { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Harness = await WildberriesHarness.StartAsync(Report, new WildberriesOptions { ReportLimit = 5_000 });
            Rows = await Harness.FetchAsync(From, From.AddDays(27));
        }

        public async Task DisposeAsync() => await Harness.DisposeAsync();
    }
}
