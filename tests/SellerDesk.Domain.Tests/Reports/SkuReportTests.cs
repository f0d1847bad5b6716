using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class SkuReportTests
{
    private static IReadOnlyList<SkuRow> Skus(ReportPeriod period, IEnumerable<SaleLine> sales, IEnumerable<ReturnEvent>? returns = null, IEnumerable<UnitCost>? costs = null) =>
        new FactReports(ReportSums.Of(period, EconomicsFacts.Build(sales, returns ?? [], costs ?? [], [], Moscow), [], [])).Skus();

    [Fact]
    public void A_sku_row_sums_section_two_over_the_lines_ordered_in_range()
    {
        var rows = Skus(
            Q1,
            [
                new SaleLine("ozon", "O1", "1", At("2026-01-05"), null, "organic", "MUG-01", 2, 1000m, 150m, 80m, 0m, 0m),
                new SaleLine("ozon", "O2", "1", At("2026-02-05"), null, "organic", "MUG-01", 1, 500m, 75m, 40m, 5m, 0m),
                new SaleLine("ozon", "O0", "1", At("2025-12-31"), null, "organic", "MUG-01", 9, 9000m, 0m, 0m, 0m, 0m),
            ],
            [new ReturnEvent("ozon", "O1", "1", "R1", At("2026-02-01"), 1, 500m, 75m, 60m, true, null)],
            [new UnitCost("MUG-01", D("2025-01-01"), 200m)]);

        var row = rows.Single();
        row.Units.Should().Be(3);
        row.ReturnedUnits.Should().Be(1m);
        row.Revenue.Should().Be(1500m);
        row.NetRevenue.Should().Be(1000m);
        row.Fees.Should().Be(150m - 75m + 80m + 60m + 75m + 40m + 5m);
        row.NetCogs.Should().Be(400m);
        row.ContributionMargin.Should().Be(1000m - 335m - 400m);
        row.ReturnLoss.Should().Be(((150m + 80m) / 2) - 75m + 60m);
        row.CmPerUnit.Should().Be(265m / 2);
        row.CmRatio.Should().Be(0.265m);
        row.ReturnRate.Should().Be(1m / 3);
        row.CogsMissingLines.Should().Be(0);
    }

    [Fact]
    public void A_sku_whose_every_unit_came_back_has_no_margin_per_unit_or_margin_ratio()
    {
        var row = Skus(
            Q1,
            [new SaleLine("wildberries", "W1", "1", At("2026-01-12"), null, "organic", "TEE-02", 1, 1000m, 250m, 70m, 0m, 0m)],
            [new ReturnEvent("wildberries", "W1", "1", "R1", At("2026-01-20"), 1, 1000m, 0m, 50m, false, null)],
            [new UnitCost("TEE-02", D("2025-01-01"), 400m)]).Single();

        row.ContributionMargin.Should().Be(-770m);
        row.CmPerUnit.Should().BeNull();
        row.CmRatio.Should().BeNull();
        row.ReturnRate.Should().Be(1m);
        row.Rounded().ReturnLossShare.Should().Be(0.77m);
    }

    [Fact]
    public void Rows_are_per_marketplace_and_sku_in_ordinal_order()
    {
        var rows = Skus(Q1, [
            Order("A", "2026-01-10", 10m, marketplace: "ozon", sku: "b-lower"),
            Order("B", "2026-01-10", 10m, marketplace: "ozon", sku: "B-UPPER"),
            Order("C", "2026-01-10", 10m, marketplace: "own_store", sku: "b-lower"),
            Order("D", "2026-01-11", 5m, marketplace: "ozon", sku: "b-lower"),
        ]);

        rows.Select(r => (r.Marketplace, r.Sku, r.ContributionMargin)).Should().Equal(
            ("own_store", "b-lower", 10m), ("ozon", "B-UPPER", 10m), ("ozon", "b-lower", 15m));
        rows.Should().OnlyContain(r => r.CogsMissingLines > 0);
    }
}
