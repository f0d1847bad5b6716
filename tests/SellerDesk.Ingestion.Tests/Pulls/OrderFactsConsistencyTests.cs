using System.Globalization;
using System.Text;
using Npgsql;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// The stored order facts (decision 0014) after a seeded random sequence of every kind of ledger write: pulls of two
/// shops over overlapping windows, restatements, deletion of a connection with its data (and with it kept), file
/// imports of sales and returns (sharing buyers with the pulled orders, and restating file orders so a customer's first
/// order moves), and cost uploads. After every step the facts equal a from-scratch computation by the domain over the
/// whole ledger as it stands; and a fact row altered behind the writers' back is found.
/// </summary>
public sealed class OrderFactsConsistencyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 31);

    [Theory]
    [InlineData(11)]
    [InlineData(20260405)]
    public async Task After_every_write_the_stored_facts_equal_the_domain_over_the_whole_ledger(int seed)
    {
        var random = new Random(seed);
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shops = new[] { (Seed: 71, Connection: await w.SandboxAsync(71), Revision: 0), (Seed: 72, Connection: await w.SandboxAsync(72), Revision: 0) };
        var fileOrders = new List<SaleLine>();
        var returnedLines = new HashSet<(string, string)>();
        var kinds = new HashSet<string>();
        for (var step = 0; step < 22; step++)
        {
            var s = random.Next(shops.Length);
            // Three pulls first, then one step of each kind, then any.
            int[] each = [20, 5, 40, 15, 50, 99];
            var roll = step < 3 ? 99 : step < 3 + each.Length ? each[step - 3] : random.Next(100);
            string what;
            if (roll < 14)
            {
                shops[s].Revision++;
                var (_, result) = await w.PullAsync(shops[s].Connection, w.Sandbox(shops[s].Revision), Today.AddDays(-30), Today);
                result.Succeeded.Should().BeTrue(result.Error?.En);
                what = "restatement";
            }
            else if (roll < 17)
            {
                var choice = random.Next(2) == 0 ? ConnectionDataChoice.Remove : ConnectionDataChoice.Keep;
                await using (var session = await w.Database.DataSource.OpenConnectionAsync())
                {
                    (await ConnectionData.DeleteAsync(session, w.Id, shops[s].Connection.Id, choice, CancellationToken.None)).Should().BeTrue();
                }

                // A kept connection's orders now belong to files; connecting its shop again would find them taken.
                shops[s] = (shops[s].Seed + 10, await w.SandboxAsync(shops[s].Seed + 10, $"Sandbox {shops[s].Seed + 10} {Guid.NewGuid():N}"), 0);
                what = "connection deleted, data " + choice.ToString().ToLowerInvariant();
            }
            else if (roll < 35)
            {
                var sales = await FileSalesAsync(w, random, fileOrders, step);
                (await w.ImportAsync(LedgerFileKind.Sales, sales)).Errors.Should().BeEmpty();
                what = "sales file";
            }
            else if (roll < 45 && fileOrders.Count > 0)
            {
                var returns = ReturnsFile(random, fileOrders, returnedLines, step);
                (await w.ImportAsync(LedgerFileKind.Returns, returns)).Errors.Should().BeEmpty();
                what = "returns file";
            }
            else if (roll < 58)
            {
                var costsCsv = await CostsFileAsync(w, random);
                (await w.ImportAsync(LedgerFileKind.Costs, costsCsv)).Errors.Should().BeEmpty();
                what = "costs file";
            }
            else
            {
                var from = Today.AddDays(-random.Next(0, 40));
                var to = from.AddDays(random.Next(0, 15)) is var end && end > Today ? Today : end;
                var (_, result) = await w.PullAsync(shops[s].Connection, w.Sandbox(shops[s].Revision), from, to);
                result.Succeeded.Should().BeTrue(result.Error?.En);
                what = "pull";
            }

            kinds.Add(what.Split(',')[0]);
            (await DifferencesAsync(w)).Should().BeEmpty($"step {step} ({what}) leaves the facts the domain computes");
            (await RollupDifferencesAsync(w)).Should().BeEmpty($"step {step} ({what}) leaves the rollups equal to the facts summed afresh");
            (await ReportDifferencesAsync(w, Today)).Should().BeEmpty($"step {step} ({what}): the report rows read off the rollups are the domain's over the ledger");
            (await StoredSumDifferencesAsync(w, new ReportPeriod(Today.AddDays(-40), Today, Today))).Should()
                .BeEmpty($"step {step} ({what}): the line facts (migration 0017) summed are the domain's ReportSums over the ledger");
        }

        kinds.Should().Contain(["pull", "restatement", "sales file", "costs file", "returns file"]);
        kinds.Should().Contain(k => k.StartsWith("connection deleted", StringComparison.Ordinal));
        (await w.ScalarAsync<long>("SELECT count(*) FROM order_facts WHERE workspace_id = $1 AND NOT is_first", w.Id))
            .Should().BeGreaterThan(0, "some customers have several orders");

        // The reports, as sums of the facts, equal the domain's report inputs over the ledger.
        var ledger = await w.LedgerAsync();
        var costs = await CostsAsync(w);
        foreach (var asOf in new[] { Today, Today.AddDays(-12) })
        {
            var expected = OrderDay.FromOrders(OrderFactBuilder.Build(ledger.Sales, ledger.Returns, costs, PullWorkspace.Moscow, asOf), asOf)
                .Select(Text).Order(StringComparer.Ordinal).ToList();
            var actual = (await new ReportQueries(w.Database.DataSource).LoadInputsAsync(w.Id, "Europe/Moscow", asOf)).Days
                .Select(Text).Order(StringComparer.Ordinal).ToList();
            actual.Should().Equal(expected, $"as of {asOf:yyyy-MM-dd}");
        }

        // One fact altered behind the writers' back is seen.
        await w.ExecuteAsync(
            "UPDATE order_facts SET margin = margin + 0.01 WHERE workspace_id = $1 AND (marketplace, order_id) = (SELECT marketplace, order_id FROM order_facts WHERE workspace_id = $1 ORDER BY order_id LIMIT 1)",
            w.Id);
        (await DifferencesAsync(w)).Should().HaveCount(2, "the domain's row is missing and the altered one is stored");
        await w.ExecuteAsync(
            "UPDATE order_facts SET margin = margin - 0.01 WHERE workspace_id = $1 AND (marketplace, order_id) = (SELECT marketplace, order_id FROM order_facts WHERE workspace_id = $1 ORDER BY order_id LIMIT 1)",
            w.Id);
        (await DifferencesAsync(w)).Should().BeEmpty();
        await w.ExecuteAsync(
            "UPDATE order_facts SET is_first = NOT is_first WHERE workspace_id = $1 AND order_id = (SELECT max(order_id) FROM order_facts WHERE workspace_id = $1 AND NOT is_first)",
            w.Id);
        (await DifferencesAsync(w)).Should().NotBeEmpty();
    }

    /// <summary>
    /// The reports of the sums of the stored line, customer-order and attribution facts (migration 0017) against the
    /// reports of <see cref="ReportSums.Of"/> over the whole ledger in memory, both as rounded rows in text.
    /// </summary>
    private static async Task<List<string>> StoredSumDifferencesAsync(PullWorkspace w, ReportPeriod period)
    {
        var queries = new ReportQueries(w.Database.DataSource);
        var rows = await queries.LoadLedgerAsync(w.Id, null);
        var facts = EconomicsFacts.Build(rows.Sales, rows.Returns, rows.Costs, rows.Attribution, PullWorkspace.Moscow);
        var expected = Texts(new FactReports(ReportSums.Of(period, facts, rows.Spend, rows.Fees)));
        var actual = Texts(new FactReports(await queries.LoadSumsAsync(w.Id, period)));
        return [.. expected.Except(actual).Select(e => "expected: " + e).Concat(actual.Except(expected).Select(a => "stored: " + a)).Take(10)];

        static List<string> Texts(FactReports reports) =>
        [
            .. reports.Channels().Select(r => r.Rounded().ToString()),
            .. reports.ChannelRevenue().Select(r => r.Rounded().ToString()),
            .. reports.Marketplaces().Select(r => r.Rounded().ToString()),
            .. reports.Cohorts().Select(r => r.Rounded() is var c ? $"{c.Marketplace} {c.Cohort} {c.Customers} {c.Spend} {string.Join('/', c.Ltv)} {string.Join('/', c.RevenueLtv)} {string.Join('/', c.Retention)}" : ""),
            .. reports.Skus().Select(r => r.Rounded().ToString()),
            .. reports.ProfitAndLoss().Select(r => r.Rounded().ToString()),
        ];
    }

    /// <summary>
    /// Stored fact rows that differ from the domain's computation over every sales line, return and unit cost of the
    /// workspace (both sides as text; an extra or missing row counts too).
    /// </summary>
    private static async Task<List<string>> DifferencesAsync(PullWorkspace w)
    {
        var ledger = await w.LedgerAsync();
        var facts = StoredOrderFacts.Build(ledger.Sales, ledger.Returns, new UnitCostBook(await CostsAsync(w)), PullWorkspace.Moscow);
        var customers = StoredOrderFacts.Customers(facts.Select(f => f.Order)).ToDictionary(c => (c.Marketplace, c.OrderId));
        var sources = new Dictionary<(string, string), Guid>();
        await ReadAsync(w, "SELECT marketplace, order_id, source FROM sales_lines WHERE workspace_id = $1", r => sources[(r.GetString(0), r.GetString(1))] = r.GetGuid(2));

        var expected = new List<string>();
        foreach (var fact in facts)
        {
            var o = fact.Order;
            var sale = StoredOrderFacts.Of(o, fact.Sale);
            var c = customers[(o.Marketplace, o.OrderId)];
            expected.Add(Row(o.Marketplace, o.OrderId, sources[(o.Marketplace, o.OrderId)], o.OrderedAt, o.LocalDate, o.CustomerId, o.Channel,
                sale.Revenue, sale.NetRevenue, sale.ContributionMargin, sale.ReturnLoss, sale.Quantity, sale.CogsMissingLines,
                c.IsFirstOrder, c.FirstInMonth, c.FirstOrderDate, c.AcquisitionChannel, c.Identified));
            foreach (var effect in fact.Returns)
            {
                var figures = StoredOrderFacts.Of(o, effect.Effect);
                expected.Add(ReturnRow(o.Marketplace, o.OrderId, effect.Date, figures.NetRevenue, figures.ContributionMargin, figures.ReturnLoss, figures.ReturnedUnits));
            }
        }

        var actual = new List<string>();
        await ReadAsync(
            w,
            """
            SELECT marketplace, order_id, source, ordered_at, local_date, customer_id, channel, revenue, net_revenue, margin, return_loss,
                   units, cogs_missing, is_first, first_in_month, first_date, acquisition_channel, identified
            FROM order_facts WHERE workspace_id = $1
            """,
            r => actual.Add(Row(
                r.GetString(0), r.GetString(1), r.GetGuid(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateOnly>(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetDecimal(7), r.GetDecimal(8), r.GetDecimal(9), r.GetDecimal(10),
                r.GetInt32(11), r.GetInt32(12), r.GetBoolean(13), r.GetBoolean(14), r.GetFieldValue<DateOnly>(15), r.GetString(16), r.GetBoolean(17))));
        await ReadAsync(
            w,
            "SELECT marketplace, order_id, return_date, net_revenue, margin, return_loss, returned_units FROM order_return_facts WHERE workspace_id = $1",
            r => actual.Add(ReturnRow(r.GetString(0), r.GetString(1), r.GetFieldValue<DateOnly>(2), r.GetDecimal(3), r.GetDecimal(4), r.GetDecimal(5), r.GetInt32(6))));

        var missing = expected.Except(actual, StringComparer.Ordinal).Select(e => "missing or different: " + e);
        var extra = actual.Except(expected, StringComparer.Ordinal).Select(a => "stored: " + a);
        return [.. missing.Concat(extra).Take(10)];
    }

    /// <summary>
    /// Rollup rows (migration 0015) that differ from the stored facts of the workspace summed afresh, both ways.
    /// </summary>
    private static async Task<List<string>> RollupDifferencesAsync(PullWorkspace w)
    {
        var expected = new List<string>();
        await ReadAsync(
            w,
            """
            SELECT marketplace, local_date, first_date, acquisition_channel, count(*)::int,
                   sum(revenue), sum(net_revenue), sum(margin), sum(return_loss), sum(units)::bigint, sum(cogs_missing)::bigint,
                   (count(*) FILTER (WHERE is_first))::int, (count(*) FILTER (WHERE is_first AND identified))::int,
                   coalesce(sum(margin) FILTER (WHERE is_first), 0), (count(*) FILTER (WHERE first_in_month))::int
            FROM order_facts WHERE workspace_id = $1
            GROUP BY marketplace, local_date, first_date, acquisition_channel
            """,
            r => expected.Add(DayRow(r)));
        await ReadAsync(
            w,
            """
            SELECT f.marketplace, f.local_date, f.first_date, f.acquisition_channel, r.return_date,
                   sum(r.net_revenue), sum(r.margin), sum(r.return_loss), sum(r.returned_units)::bigint,
                   coalesce(sum(r.margin) FILTER (WHERE f.is_first), 0)
            FROM order_return_facts AS r
            JOIN order_facts AS f ON f.workspace_id = r.workspace_id AND f.marketplace = r.marketplace AND f.order_id = r.order_id
            WHERE r.workspace_id = $1
            GROUP BY f.marketplace, f.local_date, f.first_date, f.acquisition_channel, r.return_date
            """,
            r => expected.Add(ReturnDayRow(r)));

        var actual = new List<string>();
        await ReadAsync(
            w,
            """
            SELECT marketplace, local_date, first_date, acquisition_channel, orders, revenue, net_revenue, margin, return_loss,
                   units, cogs_missing, new_customers, new_identified, first_margin, active
            FROM report_days WHERE workspace_id = $1
            """,
            r => actual.Add(DayRow(r)));
        await ReadAsync(
            w,
            """
            SELECT marketplace, local_date, first_date, acquisition_channel, return_date, net_revenue, margin, return_loss,
                   returned_units, first_margin
            FROM report_day_returns WHERE workspace_id = $1
            """,
            r => actual.Add(ReturnDayRow(r)));

        var missing = expected.Except(actual, StringComparer.Ordinal).Select(e => "rollup missing or different: " + e);
        var extra = actual.Except(expected, StringComparer.Ordinal).Select(a => "rollup stored: " + a);
        return [.. missing.Concat(extra).Take(10)];

        static string DayRow(NpgsqlDataReader r) => string.Join('|',
            r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetFieldValue<DateOnly>(2), r.GetString(3), r.GetInt32(4),
            Money(r.GetDecimal(5)), Money(r.GetDecimal(6)), Money(r.GetDecimal(7)), Money(r.GetDecimal(8)), r.GetInt64(9), r.GetInt64(10),
            r.GetInt32(11), r.GetInt32(12), Money(r.GetDecimal(13)), r.GetInt32(14));

        static string ReturnDayRow(NpgsqlDataReader r) => string.Join('|',
            "return", r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetFieldValue<DateOnly>(2), r.GetString(3), r.GetFieldValue<DateOnly>(4),
            Money(r.GetDecimal(5)), Money(r.GetDecimal(6)), Money(r.GetDecimal(7)), r.GetInt64(8), Money(r.GetDecimal(9)));
    }

    /// <summary>The report rows (read off the rollups) that differ from the domain's over the whole ledger as of a date.</summary>
    private static async Task<List<string>> ReportDifferencesAsync(PullWorkspace w, DateOnly asOf)
    {
        var ledger = await w.LedgerAsync();
        var expected = OrderDay.FromOrders(OrderFactBuilder.Build(ledger.Sales, ledger.Returns, await CostsAsync(w), PullWorkspace.Moscow, asOf), asOf)
            .Select(Text).ToList();
        var actual = (await new ReportQueries(w.Database.DataSource).LoadInputsAsync(w.Id, "Europe/Moscow", asOf)).Days.Select(Text).ToList();
        var missing = expected.Except(actual, StringComparer.Ordinal).Select(e => "report row missing or different: " + e);
        var extra = actual.Except(expected, StringComparer.Ordinal).Select(a => "report row read: " + a);
        return [.. missing.Concat(extra).Take(10)];
    }

    private static string Row(
        string marketplace, string orderId, Guid source, DateTimeOffset orderedAt, DateOnly date, string? customer, string channel,
        decimal revenue, decimal netRevenue, decimal margin, decimal returnLoss, int units, int cogsMissing,
        bool isFirst, bool firstInMonth, DateOnly firstDate, string acquisition, bool identified) =>
        string.Join('|', marketplace, orderId, source, orderedAt.UtcTicks, date, customer ?? "-", channel,
            Money(revenue), Money(netRevenue), Money(margin), Money(returnLoss), units, cogsMissing, isFirst, firstInMonth, firstDate, acquisition, identified);

    private static string ReturnRow(string marketplace, string orderId, DateOnly date, decimal netRevenue, decimal margin, decimal returnLoss, int units) =>
        string.Join('|', "return", marketplace, orderId, date, Money(netRevenue), Money(margin), Money(returnLoss), units);

    /// <summary>To the twelve places the store keeps.</summary>
    private static string Money(decimal value) =>
        Math.Round(value, 12, MidpointRounding.ToEven).ToString("0.############", CultureInfo.InvariantCulture);

    private static string Text(OrderDay d) =>
        string.Join('|', d.Marketplace, d.OrderDate, d.FirstOrderDate, d.AcquisitionChannel, Money(d.Revenue), Money(d.NetRevenue),
            Money(d.ContributionMargin), Money(d.ReturnLoss), d.Quantity, d.ReturnedUnits, d.CogsMissingLines, d.NewCustomers,
            d.NewIdentifiedCustomers, Money(d.FirstOrderMargin), d.ActiveCustomers);

    private static async Task<List<UnitCost>> CostsAsync(PullWorkspace w)
    {
        var costs = new List<UnitCost>();
        await ReadAsync(w, "SELECT sku, valid_from, unit_cost FROM unit_costs WHERE workspace_id = $1", r => costs.Add(new UnitCost(r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetDecimal(2))));
        return costs;
    }

    /// <summary>
    /// A sales file: a few new file orders in the sandbox marketplace, some by buyers the pulled orders have (earlier
    /// than theirs, so first orders move), and some earlier file orders restated with another time or buyer.
    /// </summary>
    private static async Task<string> FileSalesAsync(PullWorkspace w, Random random, List<SaleLine> fileOrders, int step)
    {
        var buyers = new List<string>();
        await ReadAsync(w, "SELECT DISTINCT customer_id FROM sales_lines WHERE workspace_id = $1 AND customer_id IS NOT NULL ORDER BY 1", r => buyers.Add(r.GetString(0)));
        var lines = new List<SaleLine>();
        for (var i = 0; i < 6; i++)
        {
            var at = new DateTimeOffset(Today.AddDays(-random.Next(0, 45)).ToDateTime(new TimeOnly(random.Next(0, 24), random.Next(0, 60))), TimeSpan.FromHours(3));
            string? buyer = random.Next(4) switch
            {
                0 => null,
                1 => "FILE-BUYER-" + random.Next(3).ToString(CultureInfo.InvariantCulture),
                _ => buyers.Count > 0 ? buyers[random.Next(buyers.Count)] : null,
            };
            var id = string.Create(CultureInfo.InvariantCulture, $"F{step}-{i}");
            var quantity = random.Next(1, 4);
            var channel = random.Next(3) == 0 ? "vk_ads" : "organic";
            for (var line = 1; line <= random.Next(1, 3); line++)
            {
                lines.Add(new SaleLine(SandboxMarketplace.Code, id, line.ToString(CultureInfo.InvariantCulture), at, buyer, channel,
                    "SKU-" + random.Next(1, 6).ToString(CultureInfo.InvariantCulture), quantity, 100m * quantity + random.Next(0, 100), 10.5m, 7m, 1.25m, 0.33m));
            }
        }

        // Restate an earlier file order: a new time and buyer on every one of its lines.
        if (fileOrders.Count > 0)
        {
            var old = fileOrders[random.Next(fileOrders.Count)];
            var at = old.OrderedAt.AddDays(-random.Next(1, 10));
            var restated = fileOrders.Where(l => l.OrderId == old.OrderId).Select(l => l with { OrderedAt = at, CustomerId = "FILE-BUYER-0" }).ToList();
            fileOrders.RemoveAll(l => l.OrderId == old.OrderId);
            lines.AddRange(restated);
        }

        fileOrders.AddRange(lines);
        var csv = new StringBuilder("marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees\n");
        foreach (var l in lines)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{l.Marketplace},{l.OrderId},{l.LineId},{l.OrderedAt:yyyy-MM-dd'T'HH:mm:sszzz},{l.CustomerId},{l.Channel},{l.Sku},{l.Quantity},{l.Revenue},{l.Commission},{l.Logistics},{l.Acquiring},{l.OtherFees}\n");
        }

        return csv.ToString();
    }

    /// <summary>One return of a unit of some file order lines, dated after the order (some after others' as_of).</summary>
    /// <remarks><paramref name="returned"/>: lines returned already (one return each, so none returns more than it sold).</remarks>
    private static string ReturnsFile(Random random, List<SaleLine> fileOrders, HashSet<(string OrderId, string LineId)> returned, int step)
    {
        var csv = new StringBuilder("marketplace,order_id,line_id,return_id,returned_at,quantity,refund,commission_refund,return_logistics,restockable,reason\n");
        var candidates = fileOrders.Where(l => !returned.Contains((l.OrderId, l.LineId))).ToList();
        foreach (var (line, i) in candidates.OrderBy(_ => random.Next()).Take(3).Select((l, i) => (l, i)))
        {
            returned.Add((line.OrderId, line.LineId));
            var at = line.OrderedAt.AddDays(random.Next(1, 20));
            at = at > Now ? Now : at;
            csv.Append(CultureInfo.InvariantCulture,
                $"{line.Marketplace},{line.OrderId},{line.LineId},R{step}-{i},{at:yyyy-MM-dd'T'HH:mm:sszzz},1,{line.Revenue / line.Quantity:0.00},1.5,60,{(random.Next(2) == 0 ? "true" : "false")},\n");
        }

        return csv.ToString();
    }

    /// <summary>Unit costs of some SKUs of the ledger, from some date: lines before it keep their older cost or none.</summary>
    private static async Task<string> CostsFileAsync(PullWorkspace w, Random random)
    {
        var skus = new List<string>();
        await ReadAsync(w, "SELECT DISTINCT sku FROM sales_lines WHERE workspace_id = $1 ORDER BY 1", r => skus.Add(r.GetString(0)));
        skus.Add("SKU-1");
        var csv = new StringBuilder("sku,valid_from,unit_cost\n");
        foreach (var sku in skus.OrderBy(_ => random.Next()).Take(3))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{sku},{Today.AddDays(-random.Next(0, 40)):yyyy-MM-dd},{random.Next(10, 300)}.{random.Next(0, 100):00}\n");
        }

        return csv.ToString();
    }

    private static async Task ReadAsync(PullWorkspace w, string sql, Action<NpgsqlDataReader> row)
    {
        await using var command = w.Database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = w.Id });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            row(reader);
        }
    }
}
