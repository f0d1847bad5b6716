using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Sandbox;

/// <summary>
/// A built-in deterministic marketplace with no network (docs/connectors/sandbox.md): every day of a window gives
/// the same orders, returns, ad spend and storage fee for the same seed, so the demo can run real scheduled pulls
/// through the same runner, staging, merge and reconciliation as the real marketplaces.
/// </summary>
public sealed class SandboxConnector(SandboxOptions? options = null, TimeProvider? time = null) : IMarketplaceConnector
{
    /// <summary>The ledger's marketplace code.</summary>
    public const string MarketplaceCode = SandboxMarketplace.Code;

    /// <summary>Optional credentials key: the seed of the sandbox shop (any integer; default 7).</summary>
    public const string SeedKey = "seed";

    public const string OrdersFeed = "sandbox.orders";
    public const string ReturnsFeed = "sandbox.returns";
    public const string AdsFeed = "sandbox.ads";
    public const string FeesFeed = "sandbox.fees";

    /// <summary>The storage fee's ledger kind.</summary>
    public const string StorageKind = "storage";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly SandboxOptions _options = options ?? new SandboxOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Marketplace => MarketplaceCode;

    public async IAsyncEnumerable<SourcePage> FetchAsync(
        ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(window);
        var seed = SeedOf(connection);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(_options.TimeZone);
        var revision = _options.Revision;
        var failing = _options.FailingFeeds.Where(f => f is OrdersFeed or ReturnsFeed or AdsFeed or FeesFeed).ToHashSet(StringComparer.Ordinal);
        var pages = 0;

        // Like a real marketplace, the sandbox knows nothing yet of orders and returns later than now.
        var now = _time.GetUtcNow();
        for (var day = window.From; day <= window.To; day = day.AddDays(1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_options.PageDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.PageDelay, _time, cancellationToken);
            }

            var rows = new List<SourceRow>();
            foreach (var order in SandboxMarketplace.OrdersOf(seed, day, zone, revision).Where(o => o.OrderedAt <= now))
            {
                rows.Add(new SourceRow(OrdersFeed, order.OrderId, order.OrderId, day, JsonSerializer.Serialize(OrderPayload.Of(order), Json)));
            }

            for (var back = 1; back <= SandboxMarketplace.ReturnWindowDays; back++)
            {
                foreach (var order in SandboxMarketplace.OrdersOf(seed, day.AddDays(-back), zone, revision))
                {
                    if (order.Return is { } r && r.Day == day && r.ReturnedAt <= now)
                    {
                        rows.Add(new SourceRow(ReturnsFeed, r.ReturnId, order.OrderId, day, JsonSerializer.Serialize(ReturnPayload.Of(order.OrderId, r), Json)));
                    }
                }
            }

            foreach (var (channel, amount) in SandboxMarketplace.AdSpendOf(seed, day).Where(a => a.Amount > 0))
            {
                var payload = new AdPayload(day, channel, amount);
                rows.Add(new SourceRow(AdsFeed, string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd}:{channel}"), null, day, JsonSerializer.Serialize(payload, Json)));
            }

            var fee = new FeePayload(day, StorageKind, SandboxMarketplace.StorageOf(seed, day));
            rows.Add(new SourceRow(FeesFeed, string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd}:{StorageKind}"), null, day, JsonSerializer.Serialize(fee, Json)));

            // A feed told to fail (Sandbox:FailingFeeds) sends nothing; the others go on, as a connector whose
            // secondary method fails should.
            rows.RemoveAll(r => failing.Contains(r.Feed));
            pages++;
            if (day < window.To)
            {
                yield return new SourcePage(rows, pages);
            }
            else
            {
                // Every feed is asked for by day, so after the last day each one is whole for the window.
                yield return new SourcePage(rows, pages)
                {
                    CompletedFeeds = [.. Feeds.Where(f => !failing.Contains(f))],
                    FailedFeeds = [.. failing.Order(StringComparer.Ordinal).Select(f => new FeedFailure(f, ConnectorFailure.Unavailable, FeedFailed(f)))],
                };
            }
        }
    }

    /// <summary>
    /// The ledger records of the rows. A return whose order is not among them waits for it (pulling the order's day
    /// derives both) and is a gap meanwhile, naming its order.
    /// </summary>
    public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sales = new List<SaleLine>();
        var returns = new List<ReturnEvent>();
        var ads = new List<AdSpend>();
        var fees = new List<PeriodFee>();
        var gaps = new List<MappingGap>();
        var lines = new Dictionary<string, SaleLine>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Feed == OrdersFeed))
        {
            var order = Read<OrderPayload>(row);
            foreach (var line in order.Lines)
            {
                var sale = new SaleLine(
                    MarketplaceCode, order.OrderId, line.LineId, order.OrderedAt, order.CustomerId, order.Channel, line.Sku,
                    line.Quantity, line.Price * line.Quantity, line.Commission, line.Logistics, line.Acquiring, 0m);
                sales.Add(sale);
                lines[line.LineId] = sale;
            }
        }

        foreach (var row in rows)
        {
            switch (row.Feed)
            {
                case ReturnsFeed:
                    var r = Read<ReturnPayload>(row);
                    if (lines.ContainsKey(r.LineId))
                    {
                        returns.Add(new ReturnEvent(
                            MarketplaceCode, r.OrderId, r.LineId, r.ReturnId, r.ReturnedAt, r.Quantity, r.Refund, r.CommissionRefund,
                            r.ReturnLogistics, r.Restockable, r.Reason));
                    }
                    else
                    {
                        gaps.Add(new MappingGap(
                            $"return {r.ReturnId} of order {r.OrderId}, whose order has not been pulled yet: it joins the ledger when the order's day is pulled",
                            r.Payout,
                            [row.SourceId]) { OrderKey = r.OrderId });
                    }

                    break;
                case AdsFeed:
                    var ad = Read<AdPayload>(row);
                    ads.Add(new AdSpend(ad.Date, MarketplaceCode, ad.Channel, ad.Amount));
                    break;
                case FeesFeed:
                    var fee = Read<FeePayload>(row);
                    fees.Add(new PeriodFee(fee.Date, MarketplaceCode, fee.Kind, fee.Amount));
                    break;
                case OrdersFeed:
                    break;
                default:
                    throw new ConnectorException(ConnectorFailure.BadResponse, new LocalText(
                        $"the sandbox gave a row of an unknown feed '{row.Feed}'",
                        $"песочница прислала строку неизвестного потока «{row.Feed}»"));
            }
        }

        return new DerivedLedger(sales, returns, ads, fees) { Gaps = gaps };
    }

    /// <summary>What the sandbox pays out over these rows: the <c>payout</c> of each order, return and fee row.</summary>
    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var total = 0m;
        foreach (var row in rows)
        {
            total += row.Feed switch
            {
                OrdersFeed => Read<OrderPayload>(row).Payout,
                ReturnsFeed => Read<ReturnPayload>(row).Payout,
                FeesFeed => Read<FeePayload>(row) is var fee ? Payout.Of(new PeriodFee(fee.Date, MarketplaceCode, fee.Kind, fee.Amount)) : 0m,
                _ => 0m,
            };
        }

        return total;
    }

    /// <summary>The account a connection's credentials name: the seed (7 when none is given); null when it is not a number.</summary>
    public static string? AccountOf(IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (!credentials.TryGetValue(SeedKey, out var text) || string.IsNullOrWhiteSpace(text))
        {
            return SandboxMarketplace.DefaultSeed.ToString(CultureInfo.InvariantCulture);
        }

        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    private static readonly string[] Feeds = [OrdersFeed, ReturnsFeed, AdsFeed, FeesFeed];

    private static LocalText FeedFailed(string feed) => new(
        $"the sandbox could not give its '{feed}' feed (Sandbox:FailingFeeds); the other feeds were pulled",
        $"песочница не смогла отдать поток «{feed}» (Sandbox:FailingFeeds); остальные потоки загружены");

    private static int SeedOf(ConnectionSettings connection) =>
        connection.Credential(SeedKey) is { } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
                ? seed
                : throw new ConnectorException(ConnectorFailure.Unauthorized, new LocalText(
                    $"the sandbox seed '{text}' is not a whole number: enter a number such as 7",
                    $"зерно песочницы «{text}» — не целое число: введите число, например 7"))
            : SandboxMarketplace.DefaultSeed;

    private static T Read<T>(SourceRow row) =>
        JsonSerializer.Deserialize<T>(row.Payload, Json)
        ?? throw new ConnectorException(ConnectorFailure.BadResponse, new LocalText(
            $"the sandbox row {row.SourceId} is empty", $"строка песочницы {row.SourceId} пуста"));

    private sealed record LinePayload(string LineId, string Sku, int Quantity, decimal Price, decimal Commission, decimal Logistics, decimal Acquiring);

    private sealed record OrderPayload(
        string OrderId, DateTimeOffset OrderedAt, string CustomerId, string Channel, LinePayload[] Lines, decimal Payout)
    {
        public static OrderPayload Of(SandboxOrder order) => new(
            order.OrderId,
            order.OrderedAt,
            order.CustomerId,
            order.Channel,
            [.. order.Lines.Select(l => new LinePayload(l.LineId, l.Sku, l.Quantity, l.Price, l.Commission, l.Logistics, l.Acquiring))],
            order.Lines.Sum(l => Domain.Ledger.Payout.Of(new SaleLine(
                MarketplaceCode, order.OrderId, l.LineId, order.OrderedAt, order.CustomerId, order.Channel, l.Sku, l.Quantity,
                l.Price * l.Quantity, l.Commission, l.Logistics, l.Acquiring, 0m))));
    }

    private sealed record ReturnPayload(
        string ReturnId, string OrderId, string LineId, DateTimeOffset ReturnedAt, int Quantity, decimal Refund,
        decimal CommissionRefund, decimal ReturnLogistics, bool Restockable, string Reason, decimal Payout)
    {
        public static ReturnPayload Of(string orderId, SandboxReturn r) => new(
            r.ReturnId, orderId, r.LineId, r.ReturnedAt, r.Quantity, r.Refund, r.CommissionRefund, r.ReturnLogistics, r.Restockable,
            r.Reason, Domain.Ledger.Payout.Of(new ReturnEvent(
                MarketplaceCode, orderId, r.LineId, r.ReturnId, r.ReturnedAt, r.Quantity, r.Refund, r.CommissionRefund, r.ReturnLogistics,
                r.Restockable, r.Reason)));
    }

    private sealed record AdPayload(DateOnly Date, string Channel, decimal Amount);

    private sealed record FeePayload(DateOnly Date, string Kind, decimal Amount);
}

/// <summary>How the sandbox behaves (<c>Sandbox</c> configuration section).</summary>
public sealed class SandboxOptions
{
    /// <summary>The sandbox shop's own time zone (its orders are local to it).</summary>
    public string TimeZone { get; set; } = "Europe/Moscow";

    /// <summary>A pause before each day's page, so a pull of the demo shows its progress; zero in tests.</summary>
    public TimeSpan PageDelay { get; set; }

    /// <summary>
    /// Which revision of its reports the sandbox gives (0: the original). A later revision restates them as real
    /// marketplaces do: some orders dropped, some charged another commission, some returns re-issued under a new id.
    /// </summary>
    public int Revision { get; set; }

    /// <summary>
    /// Feeds the sandbox fails to give (<c>sandbox.ads</c>, ...): it reports each as a failed feed and sends the
    /// others, as a connector whose secondary method fails should; for trying that path out.
    /// </summary>
    public IReadOnlyCollection<string> FailingFeeds { get; set; } = [];
}
