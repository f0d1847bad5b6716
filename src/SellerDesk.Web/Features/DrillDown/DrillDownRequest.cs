using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;
using SellerDesk.Web.Api;
using SellerDesk.Web.Features.Common;

namespace SellerDesk.Web.Features.DrillDown;

/// <summary>
/// The drill-down's address, shared by the API, the page and the downloads: the report period (<c>from</c>, <c>to</c>,
/// <c>as_of</c>, <c>source</c>) and the keys of the figure (<c>scope</c>, <c>marketplace</c>, <c>sku</c>,
/// <c>channel</c>, <c>month</c>, <c>cohort</c>, <c>through</c>, <c>first_only</c>).
/// </summary>
public static class DrillDownRequest
{
    public const string PagePath = "drilldown";

    public const string ScopeKey = "scope", MarketplaceKey = "marketplace", SkuKey = "sku", ChannelKey = "channel", MonthKey = "month",
        CohortKey = "cohort", ThroughKey = "through", FirstOnlyKey = "first_only", AfterKey = "after", LimitKey = "limit";

    /// <summary>The keys of the figure (without the period).</summary>
    public static IReadOnlyList<string> FilterKeys { get; } = [ScopeKey, MarketplaceKey, SkuKey, ChannelKey, MonthKey, CohortKey, ThroughKey, FirstOnlyKey];

    /// <summary>Reads the period and the figure's keys; false and a 400 answer (in words) when something is not understood.</summary>
    public static bool TryParse(IQueryCollection query, WorkspaceContext workspace, TimeProvider clock, out DrillDownFilter filter, out IResult problem)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(workspace);
        filter = null!;
        if (!ReportQuery.TryParse(query, workspace.Today(clock), out var request, out problem)
            || !ReportQuery.TryMarketplace(query, out var marketplace, out problem))
        {
            return false;
        }

        var scopeText = query[ScopeKey].ToString().Trim().ToLowerInvariant();
        DrillScope? scope = scopeText switch
        {
            "" or "orders" => DrillScope.Orders,
            "customers" => DrillScope.Customers,
            _ => null,
        };
        if (scope is null)
        {
            problem = ReportQuery.BadRequest($"scope '{scopeText}' is not one of orders (orders placed in the period), customers (orders of the customers acquired in it).");
            return false;
        }

        if (!TryMonth(query, MonthKey, out var month, out problem)
            || !TryMonth(query, CohortKey, out var cohort, out problem)
            || !TryMonth(query, ThroughKey, out var through, out problem))
        {
            return false;
        }

        var firstText = query[FirstOnlyKey].ToString().Trim().ToLowerInvariant();
        if (firstText is not ("" or "true" or "false" or "1" or "0"))
        {
            problem = ReportQuery.BadRequest($"first_only '{firstText}' is not true or false.");
            return false;
        }

        if (scope == DrillScope.Orders && (cohort is not null || through is not null || firstText is "true" or "1"))
        {
            problem = ReportQuery.BadRequest("cohort, through and first_only select customers: they need scope=customers.");
            return false;
        }

        filter = new DrillDownFilter(new ReportPeriod(request.From, request.To, request.AsOf ?? workspace.Today(clock)))
        {
            Scope = scope.Value,
            Marketplace = marketplace,
            Sku = Text(query[SkuKey]),
            Channel = Text(query[ChannelKey]),
            Month = month,
            Cohort = cohort,
            Through = through,
            FirstOrdersOnly = firstText is "true" or "1",
            Source = request.Source,
        };
        return true;
    }

    /// <summary>The page size asked for (<c>limit</c>, 1 to <see cref="DrillDownQueries.MaxPageSize"/>, default 50) and the cursor (<c>after</c>).</summary>
    public static bool TryPage(IQueryCollection query, out int limit, out DrillCursor? after, out IResult problem)
    {
        ArgumentNullException.ThrowIfNull(query);
        problem = null!;
        after = null;
        limit = 50;
        var limitText = query[LimitKey].ToString().Trim();
        if (limitText.Length > 0
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > DrillDownQueries.MaxPageSize))
        {
            problem = ReportQuery.BadRequest($"limit '{limitText}' is not a whole number from 1 to {DrillDownQueries.MaxPageSize}.");
            return false;
        }

        var afterText = query[AfterKey].ToString();
        if (afterText.Length > 0)
        {
            if (!DrillCursor.TryDecode(afterText, out var cursor))
            {
                problem = ReportQuery.BadRequest("after is not a cursor this API gave (the next field of a page).");
                return false;
            }

            after = cursor;
        }

        return true;
    }

    /// <summary>
    /// The drill-down page's address for a figure of the page at <paramref name="currentUri"/>: its period and account
    /// filter kept, the figure's keys added (null values left out).
    /// </summary>
    public static string Link(string currentUri, params (string Key, string? Value)[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var values = QueryHelpers.ParseQuery(new Uri(currentUri, UriKind.Absolute).Query);
        var kept = PeriodSelection.QueryKeys
            .Where(key => values.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value))
            .Select(key => new KeyValuePair<string, string?>(key, values[key].ToString()))
            .Concat(keys.Where(k => !string.IsNullOrEmpty(k.Value)).Select(k => new KeyValuePair<string, string?>(k.Key, k.Value)));
        return QueryHelpers.AddQueryString(PagePath, kept);
    }

    /// <summary>A month as the address writes it: <c>2026-03</c>.</summary>
    public static string MonthText(YearMonth month) => month.ToString();

    private static bool TryMonth(IQueryCollection query, string key, out YearMonth? month, out IResult problem)
    {
        problem = null!;
        month = null;
        var text = query[key].ToString().Trim();
        if (text.Length == 0)
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            problem = ReportQuery.BadRequest($"{key} '{text}' is not a month (YYYY-MM).");
            return false;
        }

        month = YearMonth.Of(first);
        return true;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
