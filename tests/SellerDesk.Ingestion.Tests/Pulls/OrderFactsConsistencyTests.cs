using System.Globalization;
using System.Text;
using Npgsql;
using SellerDesk.Data.Facts;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// The stored facts (migration 0017: line, line return and customer-order facts, and the rollups the reports read)
/// after a seeded random sequence of every kind of ledger write: pulls of two shops over overlapping windows,
/// restatements, deletion of a connection with its data (and with it kept), file imports of sales and returns (sharing
/// buyers with the pulled orders, and restating file orders so a customer's first order moves), and cost uploads. After
/// every step the facts equal a from-scratch computation by the domain (<see cref="EconomicsFacts"/>) over the whole
/// ledger as it stands, and the report sums read off the rollups equal <see cref="ReportSums.Of"/>; and a fact row
/// altered behind the writers' back is found.
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
            (await StoredSumDifferencesAsync(w, new ReportPeriod(Today.AddDays(-40), Today, Today))).Should()
                .BeEmpty($"step {step} ({what}): the line facts (migration 0017) summed are the domain's ReportSums over the ledger");
        }

        kinds.Should().Contain(["pull", "restatement", "sales file", "costs file", "returns file"]);
        kinds.Should().Contain(k => k.StartsWith("connection deleted", StringComparison.Ordinal));
        (await w.ScalarAsync<long>("SELECT count(*) FROM customer_order_facts WHERE workspace_id = $1 AND NOT is_first", w.Id))
            .Should().BeGreaterThan(0, "some customers have several orders");

        // The reports, as sums of the stored facts, equal the domain's over the ledger as of an earlier date too.
        var earlier = Today.AddDays(-12);
        (await StoredSumDifferencesAsync(w, new ReportPeriod(Today.AddDays(-40), earlier, earlier))).Should().BeEmpty($"as of {earlier:yyyy-MM-dd}");

        // One fact altered behind the writers' back is seen.
        const string oneLine = "(marketplace, order_id, line_id) = (SELECT marketplace, order_id, line_id FROM line_facts WHERE workspace_id = $1 ORDER BY order_id, line_id LIMIT 1)";
        await w.ExecuteAsync($"UPDATE line_facts SET revenue = revenue + 0.01 WHERE workspace_id = $1 AND {oneLine}", w.Id);
        (await DifferencesAsync(w)).Should().HaveCount(2, "the domain's row is missing and the altered one is stored");
        await w.ExecuteAsync($"UPDATE line_facts SET revenue = revenue - 0.01 WHERE workspace_id = $1 AND {oneLine}", w.Id);
        (await DifferencesAsync(w)).Should().BeEmpty();
        await w.ExecuteAsync(
            "UPDATE customer_order_facts SET is_first = NOT is_first WHERE workspace_id = $1 AND order_id = (SELECT max(order_id) FROM customer_order_facts WHERE workspace_id = $1 AND NOT is_first)",
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
    /// Stored fact rows (<c>line_facts</c>, <c>line_return_facts</c>, <c>customer_order_facts</c>) that differ from the
    /// domain's <see cref="EconomicsFacts"/> over every sales line, return, unit cost and attribution row of the
    /// workspace (both sides as text; an extra or missing row counts too).
    /// </summary>
    private static async Task<List<string>> DifferencesAsync(PullWorkspace w)
    {
        var rows = await new ReportQueries(w.Database.DataSource).LoadLedgerAsync(w.Id, null);
        var facts = EconomicsFacts.Build(rows.Sales, rows.Returns, rows.Costs, rows.Attribution, PullWorkspace.Moscow);
        var expected = new List<string>();
        foreach (var line in facts.Lines)
        {
            expected.Add(LineRow("line", line.Marketplace, line.OrderId, line.LineId, line.Sku, line.OrderDate, "", null, line.Sale));
            foreach (var effect in line.Returns)
            {
                expected.Add(LineRow("return", line.Marketplace, line.OrderId, line.LineId, line.Sku, line.OrderDate, effect.ReturnId, effect.Date, effect.Effect));
            }
        }

        foreach (var o in facts.Orders)
        {
            expected.Add(OrderRow(o.Marketplace, o.OrderId, o.OrderDate, o.CustomerKey, o.Identified, o.Channel, o.Attributed,
                o.IsFirstOrder, o.FirstOrderDate, o.AcquisitionChannel, o.AcquisitionAttributed, o.FirstInMonth));
        }

        var actual = new List<string>();
        var columns = EconomicsColumns.List();
        await ReadAsync(
            w,
            $"SELECT marketplace, order_id, line_id, sku, order_date, {columns} FROM line_facts WHERE workspace_id = $1",
            r => actual.Add(LineRow("line", r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateOnly>(4), "", null, EconomicsColumns.Read(r, 5))));
        await ReadAsync(
            w,
            $"SELECT marketplace, order_id, line_id, sku, order_date, return_id, return_date, {columns} FROM line_return_facts WHERE workspace_id = $1",
            r => actual.Add(LineRow("return", r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateOnly>(4),
                r.GetString(5), r.GetFieldValue<DateOnly>(6), EconomicsColumns.Read(r, 7))));
        await ReadAsync(
            w,
            """
            SELECT marketplace, order_id, order_date, customer_key, identified, channel, attributed, is_first, first_date,
                   acquisition_channel, acquisition_attributed, first_in_month
            FROM customer_order_facts WHERE workspace_id = $1
            """,
            r => actual.Add(OrderRow(r.GetString(0), r.GetString(1), r.GetFieldValue<DateOnly>(2), r.GetString(3), r.GetBoolean(4), r.GetString(5),
                r.GetBoolean(6), r.GetBoolean(7), r.GetFieldValue<DateOnly>(8), r.GetString(9), r.GetBoolean(10), r.GetBoolean(11))));

        var missing = expected.Except(actual, StringComparer.Ordinal).Select(e => "missing or different: " + e);
        var extra = actual.Except(expected, StringComparer.Ordinal).Select(a => "stored: " + a);
        return [.. missing.Concat(extra).Take(10)];
    }

    private static string LineRow(
        string kind, string marketplace, string orderId, string lineId, string sku, DateOnly orderDate, string returnId, DateOnly? returnDate, LineEconomics e) =>
        string.Join('|', kind, marketplace, orderId, lineId, sku, orderDate, returnId, returnDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
            e.Units, Money(e.Revenue), Money(e.Commission), Money(e.Logistics), Money(e.Acquiring), Money(e.OtherFees), Money(e.SoldCogs),
            e.CogsMissingLines, Money(e.ReturnedUnits), Money(e.NonrestockUnits), Money(e.Refund), Money(e.CommissionRefund),
            Money(e.ReturnLogistics), Money(e.ReturnedCogs), Money(e.NonrestockCogs), Money(e.ReturnedShareOfRevenue),
            Money(e.ReturnedShareOfCommission), Money(e.ReturnedShareOfLogistics), Money(e.ReturnedShareOfAcquiring),
            Money(e.ReturnedShareOfOtherFees));

    private static string OrderRow(
        string marketplace, string orderId, DateOnly orderDate, string customerKey, bool identified, string channel, bool attributed,
        bool isFirst, DateOnly firstDate, string acquisition, bool acquisitionAttributed, bool firstInMonth) =>
        string.Join('|', "order", marketplace, orderId, orderDate, customerKey, identified, channel, attributed, isFirst, firstDate,
            acquisition, acquisitionAttributed, firstInMonth);

    /// <summary>To the twelve places the store keeps.</summary>
    private static string Money(decimal value) =>
        Math.Round(value, 12, MidpointRounding.ToEven).ToString("0.############", CultureInfo.InvariantCulture);

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
