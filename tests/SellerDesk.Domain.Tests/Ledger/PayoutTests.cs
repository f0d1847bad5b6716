using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Tests.Ledger;

/// <summary>The one payout rule reconciliation applies to stored ledger rows (decision 0010).</summary>
public sealed class PayoutTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_sale_pays_its_revenue_less_every_fee_a_return_takes_back_the_refund_net_of_commission_plus_its_logistics_and_a_fee_is_paid()
    {
        var sale = new SaleLine("wildberries", "o1", "l1", At, null, "organic", "MUG", 2, 1000m, 150m, 60m, 15m, 5m);
        var returned = new ReturnEvent("wildberries", "o1", "l1", "r1", At.AddDays(3), 1, 500m, 75m, 40m, true, null);
        var fee = new PeriodFee(new DateOnly(2026, 3, 1), "wildberries", "storage", 12.5m);
        var spend = new AdSpend(new DateOnly(2026, 3, 1), "wildberries", "wb_ads", 999m);

        Payout.Of(sale).Should().Be(770m);
        Payout.Of(returned).Should().Be(-465m);
        Payout.Of(fee).Should().Be(-12.5m);
        Payout.Of([sale], [returned], [fee]).Should().Be(292.5m, "ad spend ({0}) is paid from another balance and takes no part", spend.Amount);
    }

    [Fact]
    public void The_payout_of_a_set_is_the_sum_over_any_split_of_it()
    {
        var sales = Enumerable.Range(1, 7).Select(i => new SaleLine("ozon", $"o{i}", "l", At, null, "organic", "TEE", 1, 100m * i, 7m * i, 3m, 1.5m, i % 2)).ToList();
        var returns = sales.Take(3).Select(s => new ReturnEvent("ozon", s.OrderId, "l", "r", At, 1, s.Revenue, s.Commission, 20m, false, "size")).ToList();

        var whole = Payout.Of(sales, returns, []);
        var split = Payout.Of(sales.Take(4), returns.Take(1), []) + Payout.Of(sales.Skip(4), returns.Skip(1), []);

        split.Should().Be(whole);
    }
}
