using System.Text.RegularExpressions;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Demo;

namespace SellerDesk.Ingestion.Tests.Demo;

public sealed class DemoSellerTests(DemoSellerTests.Year year) : IClassFixture<DemoSellerTests.Year>
{
    private static readonly DateOnly LastDay = new(2026, 3, 31);
    private static readonly DateOnly FirstDay = LastDay.AddDays(-364);
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private readonly Year _year = year;

    private DemoLedger Ledger => _year.Ledger;

    /// <summary>The demo ledger for the year up to <see cref="LastDay"/> and the reports over it, built once.</summary>
    public sealed class Year
    {
        public Year()
        {
            Ledger = DemoSeller.Generate(LastDay, Moscow);
            Facts = EconomicsFacts.Build(Ledger.Sales, Ledger.Returns, Ledger.Costs, Ledger.Attribution, Moscow);
            Reports = ReportsFor(FirstDay, LastDay);
        }

        public DemoLedger Ledger { get; }

        /// <summary>The ledger's facts with the marketplaces' attribution (metrics.md 3.1).</summary>
        public EconomicsFacts Facts { get; }

        public FactReports Reports { get; }

        public FactReports ReportsFor(DateOnly from, DateOnly to) =>
            new(ReportSums.Of(new ReportPeriod(from, to, LastDay), Facts, Ledger.AdSpend, Ledger.Fees));
    }

    [Fact]
    public void The_same_seed_gives_the_same_ledger_and_another_seed_a_different_one()
    {
        var again = DemoSeller.Generate(LastDay, Moscow);
        var other = DemoSeller.Generate(LastDay, Moscow, seed: 7);

        again.Sales.Should().Equal(Ledger.Sales);
        again.Returns.Should().Equal(Ledger.Returns);
        again.AdSpend.Should().Equal(Ledger.AdSpend);
        again.Fees.Should().Equal(Ledger.Fees);
        again.Costs.Should().Equal(Ledger.Costs);
        again.Attribution.Should().Equal(Ledger.Attribution);
        other.Sales.Should().NotEqual(Ledger.Sales);
    }

    [Fact]
    public void Nothing_is_dated_after_the_last_day_and_everything_falls_within_the_year()
    {
        Ledger.Sales.Select(s => LocalDate(s.OrderedAt)).Should().OnlyContain(d => d >= FirstDay && d <= LastDay);
        Ledger.Returns.Select(r => LocalDate(r.ReturnedAt)).Should().OnlyContain(d => d >= FirstDay && d <= LastDay);
        Ledger.AdSpend.Should().OnlyContain(s => s.Date >= FirstDay && s.Date <= LastDay);
        Ledger.Fees.Should().OnlyContain(f => f.Date >= FirstDay && f.Date <= LastDay);
        Ledger.Costs.Should().OnlyContain(c => c.ValidFrom <= LastDay);

        // The year is used from end to end.
        Ledger.Sales.Min(s => LocalDate(s.OrderedAt)).Should().Be(FirstDay);
        Ledger.Sales.Max(s => LocalDate(s.OrderedAt)).Should().Be(LastDay);
    }

    [Fact]
    public void Orders_carry_the_moscow_offset_and_some_late_night_ones_fall_on_the_previous_utc_day()
    {
        Ledger.Sales.Should().OnlyContain(s => s.OrderedAt.Offset == TimeSpan.FromHours(3));
        Ledger.Returns.Should().OnlyContain(r => r.ReturnedAt.Offset == TimeSpan.FromHours(3));
        Ledger.Sales.Should().Contain(s => s.OrderedAt.UtcDateTime.Date < s.OrderedAt.Date);
        Ledger.Sales.Select(s => s.OrderedAt.Hour).Distinct().Should().HaveCount(24);
    }

    [Fact]
    public void Volume_is_a_small_sellers_year_with_a_winter_peak()
    {
        Ledger.Sales.Should().HaveCountGreaterThanOrEqualTo(12_000).And.HaveCountLessThanOrEqualTo(20_000);
        Ledger.Sales.Select(s => s.Sku).Distinct().Should().HaveCountGreaterThanOrEqualTo(8).And.HaveCountLessThanOrEqualTo(15);
        Ledger.Sales.Select(s => s.Marketplace).Distinct().Should()
            .BeEquivalentTo("wildberries", "ozon", "yandex_market", "own_store");
        Ledger.Sales.Should().OnlyContain(s => s.Quantity >= 1 && s.Quantity <= 3);
        Ledger.Sales.Count(s => s.Quantity == 1).Should().BeGreaterThan(Ledger.Sales.Count / 2);
        Ledger.Sales.Should().Contain(s => s.LineId == "2");

        int OrdersIn(int month) => Ledger.Sales.Where(s => s.OrderedAt.Month == month).Select(s => s.OrderId).Distinct().Count();
        OrdersIn(12).Should().BeGreaterThan(OrdersIn(6) * 3 / 2);
    }

    [Fact]
    public void Wildberries_gives_no_customer_ids_and_the_own_store_always_knows_its_buyers()
    {
        var byMarketplace = Ledger.Sales.ToLookup(s => s.Marketplace);

        byMarketplace["wildberries"].Should().OnlyContain(s => s.CustomerId == null);
        byMarketplace["own_store"].Should().OnlyContain(s => !string.IsNullOrEmpty(s.CustomerId));
        ShareWithCustomerId(byMarketplace["ozon"]).Should().BeInRange(0.05, 0.5);
        ShareWithCustomerId(byMarketplace["yandex_market"]).Should().BeInRange(0.1, 0.7);
    }

    [Fact]
    public void Own_store_buyers_come_back_months_later()
    {
        var ownOrders = Ledger.Sales
            .Where(s => s.Marketplace == "own_store")
            .DistinctBy(s => s.OrderId)
            .GroupBy(s => s.CustomerId)
            .ToList();

        var repeatBuyers = ownOrders.Where(g => g.Count() > 1).ToList();
        repeatBuyers.Should().HaveCountGreaterThan(ownOrders.Count / 5);
        repeatBuyers.Should().Contain(g => (g.Max(s => s.OrderedAt) - g.Min(s => s.OrderedAt)).TotalDays > 90);
    }

    [Fact]
    public void Every_order_has_a_channel_and_its_lines_agree_on_time_customer_and_channel()
    {
        Ledger.Sales.Should().OnlyContain(s => !string.IsNullOrWhiteSpace(s.Channel));
        foreach (var order in Ledger.Sales.GroupBy(s => (s.Marketplace, s.OrderId)))
        {
            order.Select(s => (s.OrderedAt, s.CustomerId, s.Channel)).Distinct().Should().ContainSingle();
            order.Select(s => s.LineId).Should().Equal(Enumerable.Range(1, order.Count()).Select(i => i.ToString()));
        }

        Ledger.Sales.Select(s => (s.Marketplace, s.Channel)).Distinct().Should().BeEquivalentTo(new[]
        {
            ("wildberries", "organic"), ("ozon", "organic"), ("yandex_market", "organic"),
            ("own_store", "vk_ads"), ("own_store", "yandex_direct"), ("own_store", "blogger_anna"),
            ("own_store", "referral"), ("own_store", "organic"),
        }, "marketplace orders name no channel, as the connectors pull them");
        Ledger.Attribution.Select(a => (a.Marketplace, a.Channel)).Distinct().Should().BeEquivalentTo(new[]
        {
            ("wildberries", "wb_search_18203311"), ("wildberries", "wb_catalog_18203390"), ("wildberries", "blogger_maria"),
            ("ozon", "ozon_promo_4410027"), ("ozon", "vk_ads"), ("ozon", "blogger_maria"),
            ("yandex_market", "ym_boost_77015"),
        });
        Ledger.Attribution.Should().OnlyContain(a => a.Orders > 0)
            .And.OnlyHaveUniqueItems(a => new { a.Date, a.Marketplace, a.Channel, a.Sku });
    }

    [Fact]
    public void Order_ids_look_like_each_marketplaces_own()
    {
        var byMarketplace = Ledger.Sales.ToLookup(s => s.Marketplace, s => s.OrderId);

        byMarketplace["wildberries"].Should().OnlyContain(id => Regex.IsMatch(id, "^[0-9a-f]{32}$"));
        byMarketplace["ozon"].Should().OnlyContain(id => Regex.IsMatch(id, @"^\d{10}-\d{4}-\d$"));
        byMarketplace["yandex_market"].Should().OnlyContain(id => Regex.IsMatch(id, @"^\d{9}$"));
        byMarketplace["own_store"].Should().OnlyContain(id => Regex.IsMatch(id, @"^S-\d{5,}$"));
    }

    [Fact]
    public void Every_ledger_key_is_unique_so_the_files_import_without_duplicates()
    {
        Ledger.Sales.Select(s => (s.Marketplace, s.OrderId, s.LineId)).Should().OnlyHaveUniqueItems();
        Ledger.Returns.Select(r => (r.Marketplace, r.OrderId, r.LineId, r.ReturnId)).Should().OnlyHaveUniqueItems();
        Ledger.AdSpend.Select(s => (s.Date, s.Marketplace, s.Channel)).Should().OnlyHaveUniqueItems();
        Ledger.Fees.Select(f => (f.Date, f.Marketplace, f.Kind)).Should().OnlyHaveUniqueItems();
        Ledger.Costs.Select(c => (c.Sku, c.ValidFrom)).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Money_has_at_most_two_decimals_and_fees_are_never_negative()
    {
        var amounts = Ledger.Sales.SelectMany(s => new[] { s.Revenue, s.Commission, s.Logistics, s.Acquiring, s.OtherFees })
            .Concat(Ledger.Returns.SelectMany(r => new[] { r.Refund, r.CommissionRefund, r.ReturnLogistics }))
            .Concat(Ledger.AdSpend.Select(s => s.Amount))
            .Concat(Ledger.Fees.Select(f => f.Amount))
            .Concat(Ledger.Costs.Select(c => c.Cost))
            .ToList();

        amounts.Should().OnlyContain(a => a >= 0 && decimal.Round(a, 2) == a);
        Ledger.Sales.Should().OnlyContain(s => s.Revenue > 0);
        Ledger.Sales.Where(s => s.LineId == "1").Should().OnlyContain(s => s.Logistics > 0, "every order is delivered");
        Ledger.AdSpend.Should().OnlyContain(s => s.Amount > 0);
        Ledger.Fees.Should().OnlyContain(f => f.Amount > 0);
    }

    [Theory]
    [InlineData("wildberries", 0.20, 0.26, 0.0, 0.0)]
    [InlineData("ozon", 0.15, 0.20, 0.0, 0.0)]
    [InlineData("yandex_market", 0.12, 0.15, 0.01, 0.02)]
    [InlineData("own_store", 0.0, 0.0, 0.01, 0.02)]
    public void Commission_and_acquiring_follow_the_marketplaces_rates(
        string marketplace, double minCommission, double maxCommission, double minAcquiring, double maxAcquiring)
    {
        var lines = Ledger.Sales.Where(s => s.Marketplace == marketplace && s.Revenue >= 1000).ToList();

        lines.Should().NotBeEmpty();
        lines.Select(s => (double)(s.Commission / s.Revenue)).Should().OnlyContain(r => r >= minCommission - 0.001 && r <= maxCommission + 0.001);
        lines.Select(s => (double)(s.Acquiring / s.Revenue)).Should().OnlyContain(r => r >= minAcquiring - 0.001 && r <= maxAcquiring + 0.001);
    }

    [Fact]
    public void Every_return_reverses_an_existing_line_later_and_never_more_units_than_were_sold()
    {
        var lines = Ledger.Sales.ToDictionary(s => (s.Marketplace, s.OrderId, s.LineId));

        foreach (var lineReturns in Ledger.Returns.GroupBy(r => (r.Marketplace, r.OrderId, r.LineId)))
        {
            lines.Should().ContainKey(lineReturns.Key);
            var line = lines[lineReturns.Key];
            lineReturns.Sum(r => r.Quantity).Should().BeLessThanOrEqualTo(line.Quantity);
            lineReturns.Sum(r => r.Refund).Should().BeLessThanOrEqualTo(line.Revenue);
            lineReturns.Sum(r => r.CommissionRefund).Should().BeLessThanOrEqualTo(line.Commission);
            lineReturns.Should().OnlyContain(r => r.Quantity > 0 && r.ReturnedAt > line.OrderedAt);
            lineReturns.Should().OnlyContain(r => (r.ReturnedAt - line.OrderedAt).TotalDays <= 60);
        }
    }

    [Fact]
    public void Returns_come_back_for_resale_or_as_defects_and_sometimes_only_in_part()
    {
        var quantities = Ledger.Sales.ToDictionary(s => (s.Marketplace, s.OrderId, s.LineId), s => s.Quantity);

        Ledger.Returns.Should().Contain(r => r.Restockable && (r.Reason == "size" || r.Reason == "changed_mind"));
        Ledger.Returns.Should().Contain(r => !r.Restockable && r.Reason == "defect");
        Ledger.Returns.Should().OnlyContain(r => r.ReturnLogistics > 0);
        Ledger.Returns
            .GroupBy(r => (r.Marketplace, r.OrderId, r.LineId))
            .Should().Contain(g => g.Sum(r => r.Quantity) < quantities[g.Key], "some multi-unit lines are returned in part")
            .And.Contain(g => g.Count() > 1, "some lines come back in two parcels");
    }

    [Fact]
    public void A_supplier_price_rise_changes_some_costs_mid_year_and_one_rare_sku_has_no_cost()
    {
        Ledger.Costs.GroupBy(c => c.Sku).Should().OnlyContain(g => g.Min(c => c.ValidFrom) < FirstDay);

        var raised = Ledger.Costs.GroupBy(c => c.Sku).Where(g => g.Count() > 1).ToList();
        raised.Should().HaveCountGreaterThanOrEqualTo(2);
        foreach (var sku in raised)
        {
            var entries = sku.OrderBy(c => c.ValidFrom).ToList();
            entries[1].ValidFrom.Should().BeAfter(FirstDay.AddMonths(3)).And.BeBefore(LastDay.AddMonths(-3));
            entries[1].Cost.Should().BeGreaterThan(entries[0].Cost);
        }

        var withoutCost = Ledger.Sales.Select(s => s.Sku).Distinct().Except(Ledger.Costs.Select(c => c.Sku)).ToList();
        withoutCost.Should().ContainSingle();
        Ledger.Sales.Count(s => s.Sku == withoutCost[0]).Should().BeInRange(1, 50);
    }

    [Fact]
    public void Marketplaces_charge_storage_acceptance_subscriptions_and_the_odd_penalty()
    {
        int Count(string marketplace, string kind) => Ledger.Fees.Count(f => f.Marketplace == marketplace && f.Kind == kind);

        Count("wildberries", "storage").Should().BeInRange(52, 53, "storage is billed weekly");
        Count("ozon", "storage").Should().BeInRange(52, 53);
        Count("wildberries", "acceptance").Should().BeGreaterThan(3);
        Count("ozon", "acceptance").Should().BeGreaterThan(3);
        Count("yandex_market", "subscription").Should().Be(12);
        Count("yandex_market", "placement").Should().BeInRange(11, 12);
        Ledger.Fees.Should().Contain(f => f.Kind == "penalty");
    }

    [Fact]
    public void Ad_spend_is_booked_per_paid_channel_and_never_for_organic()
    {
        Ledger.AdSpend.Select(s => (s.Marketplace, s.Channel)).Distinct().Should().BeEquivalentTo(new[]
        {
            ("wildberries", "wb_search_18203311"), ("wildberries", "wb_catalog_18203390"), ("wildberries", "blogger_maria"),
            ("ozon", "ozon_promo_4410027"), ("ozon", "vk_ads"), ("ozon", "blogger_maria"), ("yandex_market", "ym_boost_77015"),
            ("own_store", "vk_ads"), ("own_store", "yandex_direct"), ("own_store", "blogger_anna"), ("own_store", "referral"),
        });
        Ledger.AdSpend.Count(s => s.Channel == "wb_search_18203311").Should().Be(365, "WB campaigns are billed daily");
        Ledger.AdSpend.Count(s => s.Channel == "ym_boost_77015").Should().BeInRange(100, 110, "YM boosts are topped up twice a week");
        Ledger.ChannelNames.Keys.Should().Contain(["wb_search_18203311", "wb_catalog_18203390", "ozon_promo_4410027", "ym_boost_77015", "blogger_maria"]);
    }

    [Fact]
    public void Over_the_year_some_channels_are_profitable_one_pays_back_and_some_should_be_cut()
    {
        var channels = _year.Reports.Channels().ToDictionary(c => (c.Marketplace, c.Channel));

        channels[("wildberries", "wb_search_18203311")].Verdict.Should().Be(ChannelVerdict.Profitable);
        channels[("wildberries", "wb_catalog_18203390")].Verdict.Should().Be(ChannelVerdict.Cut);
        channels[("wildberries", "blogger_maria")].Verdict.Should().Be(ChannelVerdict.Profitable);
        channels[("ozon", "ozon_promo_4410027")].Verdict.Should().Be(ChannelVerdict.Profitable);
        channels[("ozon", "blogger_maria")].Verdict.Should().Be(ChannelVerdict.Profitable);
        channels[("yandex_market", "ym_boost_77015")].Verdict.Should().Be(ChannelVerdict.Profitable);
        channels[("own_store", "referral")].Verdict.Should().Be(ChannelVerdict.Profitable);
        channels[("own_store", "blogger_anna")].Verdict.Should().Be(ChannelVerdict.PaysBack);
        channels[("own_store", "yandex_direct")].Verdict.Should().Be(ChannelVerdict.Cut);
        channels[("ozon", "vk_ads")].Verdict.Should().Be(ChannelVerdict.Cut);
    }

    [Fact]
    public void Every_marketplace_has_customers_that_came_by_attribution_and_the_statistics_never_claim_more_orders_than_the_ledger_has()
    {
        var channels = _year.Reports.Channels();
        foreach (var marketplace in new[] { "wildberries", "ozon", "yandex_market" })
        {
            var attributed = channels.Where(c => c.Marketplace == marketplace && c.Channel != "organic").ToList();
            attributed.Should().NotBeEmpty(marketplace);
            attributed.Should().OnlyContain(c => c.AttributedCustomers > 0 && c.AttributedCustomers == c.NewCustomers, marketplace);
            attributed.Should().OnlyContain(c => c.Verdict != ChannelVerdict.NoNewCustomers, marketplace);
        }

        channels.Where(c => c.Marketplace == "own_store").Should().OnlyContain(c => c.AttributedCustomers == 0, "own-store orders carry their channel");
        _year.Reports.Marketplaces().Should().OnlyContain(m => m.AttributionUnmatched == 0);
        _year.Facts.Claims.Should().OnlyContain(c => c.Taken == c.Claimed);
    }

    [Fact]
    public void In_the_last_month_a_campaign_spends_without_bringing_a_single_new_customer()
    {
        var lastMonth = _year.ReportsFor(LastDay.AddDays(-29), LastDay).Channels();

        lastMonth.Should().Contain(c => c.Marketplace == "ozon" && c.Channel == "vk_ads"
                                        && c.Spend > 0 && c.Verdict == ChannelVerdict.NoNewCustomers);
        lastMonth.Where(c => c.Verdict != ChannelVerdict.NoNewCustomers).Should().HaveCountGreaterThan(5);
    }

    [Fact]
    public void Own_store_cohorts_grow_in_value_and_keep_customers_coming_back()
    {
        var cohorts = _year.Reports.Cohorts(new CohortFilter("own_store"));

        cohorts.Should().HaveCountGreaterThanOrEqualTo(12);
        var early = cohorts[0];
        early.Ltv[^1].Should().BeGreaterThan(early.Ltv[0] * 1.5m);
        early.Retention.Skip(1).Should().Contain(r => r > 0.1m);
        early.PaybackMonth.Should().NotBeNull();
        cohorts.Where(c => c.Retention.Count > 1).Should().OnlyContain(c => c.Retention[1] > 0);
    }

    [Fact]
    public void Every_marketplace_earns_and_wildberries_loses_the_most_to_returns()
    {
        var marketplaces = _year.Reports.Marketplaces().ToDictionary(m => m.Marketplace);

        marketplaces.Keys.Should().BeEquivalentTo("wildberries", "ozon", "yandex_market", "own_store");
        marketplaces.Values.Should().OnlyContain(m => m.Revenue > 0 && m.ContributionMargin > 0 && m.PeriodFees > 0 && m.AdSpend > 0);
        marketplaces["wildberries"].ReturnLossShare.Should().BeGreaterThan(marketplaces["own_store"].ReturnLossShare!.Value);
        marketplaces["wildberries"].ReturnRate.Should().BeGreaterThan(marketplaces["ozon"].ReturnRate!.Value);
        marketplaces["wildberries"].IdentifiedShare.Should().Be(0);
        marketplaces["own_store"].IdentifiedShare.Should().Be(1);
    }

    [Fact]
    public void Only_a_handful_of_lines_miss_their_cost()
    {
        var marketplaces = _year.Reports.Marketplaces();

        marketplaces.Should().Contain(m => m.CogsMissingLines > 0);
        marketplaces.Sum(m => m.CogsMissingLines).Should().BeLessThan(Ledger.Sales.Count / 200);
    }

    private static DateOnly LocalDate(DateTimeOffset instant) => LocalDates.Of(instant, Moscow);

    private static double ShareWithCustomerId(IEnumerable<SaleLine> lines)
    {
        var orders = lines.DistinctBy(s => s.OrderId).ToList();
        return (double)orders.Count(s => s.CustomerId != null) / orders.Count;
    }
}
