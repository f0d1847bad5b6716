using System.Globalization;
using SellerDesk.Ingestion.Demo;

namespace SellerDesk.Ingestion.Connectors.Sandbox;

/// <summary>
/// The sandbox marketplace's shop: what a given local day sold, returned, spent on ads and paid in storage, the same
/// for the same seed, day and report revision whenever it is asked (no clock, no network). A return is decided when
/// its order is generated and shows up on the day it happens, so pulling any window always gives the same rows.
/// Revision 0 is the original report; a later revision restates it as real marketplaces do: some orders are dropped
/// (with their returns), some charged another commission, some returns re-issued under a new id.
/// </summary>
internal static class SandboxMarketplace
{
    public const string Code = "sandbox";
    public const string AdChannel = "sandbox_ads";
    public const string BloggerChannel = "sandbox_blogger";

    /// <summary>Days after the order a return can arrive (1 to this many).</summary>
    public const int ReturnWindowDays = 12;

    private const decimal CommissionRate = 0.17m;
    private const decimal LogisticsPerUnit = 65m;
    private const decimal AcquiringRate = 0.015m;
    private const decimal ReturnLogisticsPerUnit = 50m;
    private const int CustomerPool = 600;

    /// <summary>The seed of the default shop, whose order ids carry no seed (<c>SB-...</c>) as they always have.</summary>
    public const int DefaultSeed = 7;

    private static readonly string[] Skus = [.. DemoCatalog.Products.Where(p => p.Cost is not null).Select(p => p.Sku).Take(8)];

    /// <summary>The orders of a day as report revision <paramref name="revision"/> gives them.</summary>
    public static SandboxOrder[] OrdersOf(int seed, DateOnly day, TimeZoneInfo zone, int revision)
    {
        var orders = OrdersOf(seed, day, zone);
        if (revision <= 0)
        {
            return orders;
        }

        // Each revision restates a day afresh from the original: about one order in twelve dropped, one in ten charged
        // one rouble more commission per line, one return in three re-issued under an id naming the revision.
        var random = new Random(Mix(seed, day.DayNumber, 100 + revision));
        var restated = new List<SandboxOrder>(orders.Length);
        foreach (var order in orders)
        {
            var fate = random.NextDouble();
            var reissue = random.NextDouble() < 0.33;
            if (fate < 0.08)
            {
                continue;
            }

            SandboxLine[] lines = fate < 0.18 ? [.. order.Lines.Select(l => l with { Commission = l.Commission + 1m })] : order.Lines;
            var returned = order.Return is { } r && reissue
                ? r with { ReturnId = string.Create(CultureInfo.InvariantCulture, $"{r.ReturnId}-v{revision}") }
                : order.Return;
            if (returned is not null && fate < 0.18)
            {
                var line = lines.First(l => l.LineId == returned.LineId);
                returned = returned with { CommissionRefund = decimal.Round(line.Commission / line.Quantity, 2, MidpointRounding.AwayFromZero) };
            }

            restated.Add(order with { Lines = lines, Return = returned });
        }

        return [.. restated];
    }

    private static SandboxOrder[] OrdersOf(int seed, DateOnly day, TimeZoneInfo zone)
    {
        var random = new Random(Mix(seed, day.DayNumber, 1));
        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var count = random.Next(weekend ? 7 : 4, weekend ? 14 : 10);
        var orders = new SandboxOrder[count];
        for (var i = 0; i < count; i++)
        {
            // Two shops are two cabinets: their order ids differ (the default shop's keep the form they always had).
            var orderId = seed == DefaultSeed
                ? string.Create(CultureInfo.InvariantCulture, $"SB-{day:yyyyMMdd}-{i + 1:D3}")
                : string.Create(CultureInfo.InvariantCulture, $"SB{seed}-{day:yyyyMMdd}-{i + 1:D3}");
            var customer = random.Next(1, CustomerPool + 1);
            var channel = (customer % 10) switch
            {
                < 5 => "organic",
                < 8 => AdChannel,
                _ => BloggerChannel,
            };
            var local = day.ToDateTime(new TimeOnly(9, 0)).AddMinutes(random.Next(0, 13 * 60));
            var orderedAt = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            var lineCount = random.NextDouble() < 0.2 ? 2 : 1;
            var lines = new SandboxLine[lineCount];
            for (var l = 0; l < lineCount; l++)
            {
                var sku = Skus[random.Next(Skus.Length)];
                var product = DemoCatalog.Products.First(p => p.Sku == sku);
                var quantity = random.NextDouble() < 0.15 ? 2 : 1;
                var price = decimal.Round(product.ListPrice * (0.85m + (random.Next(0, 21) / 100m)), 0);
                var revenue = price * quantity;
                lines[l] = new SandboxLine(
                    string.Create(CultureInfo.InvariantCulture, $"{orderId}-{l + 1}"),
                    sku,
                    quantity,
                    price,
                    decimal.Round(revenue * CommissionRate, 2, MidpointRounding.AwayFromZero),
                    LogisticsPerUnit * quantity,
                    decimal.Round(revenue * AcquiringRate, 2, MidpointRounding.AwayFromZero));
            }

            SandboxReturn? returned = null;
            if (random.NextDouble() < 0.12)
            {
                var line = lines[random.Next(lines.Length)];
                var returnDay = day.AddDays(random.Next(1, ReturnWindowDays + 1));
                var returnLocal = returnDay.ToDateTime(new TimeOnly(12, 0)).AddMinutes(random.Next(0, 6 * 60));
                var undelivered = random.NextDouble() < 0.4;
                returned = new SandboxReturn(
                    "R-" + line.LineId,
                    line.LineId,
                    returnDay,
                    new DateTimeOffset(returnLocal, zone.GetUtcOffset(returnLocal)).ToUniversalTime(),
                    1,
                    line.Price,
                    decimal.Round(line.Commission / line.Quantity, 2, MidpointRounding.AwayFromZero),
                    ReturnLogisticsPerUnit,
                    Restockable: undelivered || random.NextDouble() < 0.5,
                    undelivered ? "not picked up" : "customer return");
            }

            var customerId = seed == DefaultSeed
                ? string.Create(CultureInfo.InvariantCulture, $"sb-{customer:D4}")
                : string.Create(CultureInfo.InvariantCulture, $"sb{seed}-{customer:D4}");
            orders[i] = new SandboxOrder(orderId, orderedAt, customerId, channel, lines, returned);
        }

        return orders;
    }

    /// <summary>Ad spend of a day per paid channel.</summary>
    public static (string Channel, decimal Amount)[] AdSpendOf(int seed, DateOnly day)
    {
        var random = new Random(Mix(seed, day.DayNumber, 2));
        return
        [
            (AdChannel, 900m + random.Next(0, 600)),
            (BloggerChannel, day.Day == 1 ? 15000m : 0m),
        ];
    }

    /// <summary>The storage fee of a day.</summary>
    public static decimal StorageOf(int seed, DateOnly day) => 120m + new Random(Mix(seed, day.DayNumber, 3)).Next(0, 40);

    // Not HashCode.Combine: it is randomised per process, and the sandbox must give the same rows in every process.
    private static int Mix(int seed, int day, int stream)
    {
        unchecked
        {
            var h = (uint)seed * 2654435761u;
            h ^= (uint)day * 2246822519u;
            h = (h << 13) | (h >> 19);
            h ^= (uint)stream * 3266489917u;
            h *= 668265263u;
            return (int)(h ^ (h >> 15));
        }
    }
}

internal sealed record SandboxLine(string LineId, string Sku, int Quantity, decimal Price, decimal Commission, decimal Logistics, decimal Acquiring);

internal sealed record SandboxReturn(
    string ReturnId,
    string LineId,
    DateOnly Day,
    DateTimeOffset ReturnedAt,
    int Quantity,
    decimal Refund,
    decimal CommissionRefund,
    decimal ReturnLogistics,
    bool Restockable,
    string Reason);

internal sealed record SandboxOrder(
    string OrderId, DateTimeOffset OrderedAt, string CustomerId, string Channel, SandboxLine[] Lines, SandboxReturn? Return);
