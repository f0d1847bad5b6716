using SellerDesk.Web.Features.ProfitAndLoss;

namespace SellerDesk.Integration.Tests.Exports;

/// <summary>The statement the P&amp;L page and its exports show, over a ledger made in the domain.</summary>
public sealed class PnlStatementTests
{
    [Fact]
    public void Every_part_of_a_line_adds_up_to_the_line_month_by_month()
    {
        foreach (var marketplace in new string?[] { null, "ozon", "own_store" })
        {
            var statement = PnlStatement.Of(ExportLedger.Reports(), marketplace);
            foreach (var line in statement.Lines.Where(l => l.Parts.Count > 0))
            {
                for (var i = 0; i < statement.Months.Count; i++)
                {
                    line.Parts.Sum(p => p.Months[i]).Should().Be(line.Months[i], $"{marketplace ?? "all"} {line.Code} {statement.Months[i]}");
                }
            }
        }
    }

    [Fact]
    public void Period_fees_split_into_the_kinds_the_ledger_names_and_february_is_unfinished()
    {
        var statement = PnlStatement.Of(ExportLedger.Reports(), "ozon");

        statement.Months.Select(m => m.ToString()).Should().Equal("2026-01", "2026-02");
        statement.IsUnfinished(statement.Months[0]).Should().BeFalse();
        statement.IsUnfinished(statement.Months[1]).Should().BeTrue();
        var fees = statement.Line("period_fees");
        fees.Source.Should().Be(PnlPartsSource.FeeKinds);
        fees.Parts.Select(p => (p.Code, p.Total)).Should().Equal(("acceptance", 40m), ("storage", 133.335m));
        statement.Line("ad_spend").Parts.Select(p => p.Code).Should().Equal("ozon_ads", "vk_ads");
        statement.Line("revenue").Parts.Should().BeEmpty();
        statement.Line("profit").IsResult.Should().BeTrue();
        statement.Line("profit").Total.Should().Be(325m - 100m - 300m + (-120m - 73.335m - 120.5m));
    }

    [Fact]
    public void All_marketplaces_sum_the_marketplaces_statements()
    {
        var reports = ExportLedger.Reports();
        var all = PnlStatement.Of(reports, null);
        var each = all.Marketplaces.Select(m => PnlStatement.Of(reports, m)).ToList();

        all.Marketplaces.Should().Equal("own_store", "ozon");
        foreach (var line in all.Lines)
        {
            line.Total.Should().Be(each.Sum(s => s.Line(line.Code).Total), line.Code);
        }
    }
}
