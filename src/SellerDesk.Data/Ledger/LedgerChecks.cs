namespace SellerDesk.Data.Ledger;

/// <summary>
/// The set-based checks of staged sales and returns against each other and the stored ledger of workspace
/// <c>$1</c> (metrics.md sections 2-3). Each returns at most one more than <see cref="ImportProblemList.Limit"/> rows by line,
/// with the number of all matches in the last column. When sales and returns are staged at all, both staging
/// tables exist (one may be empty), so each check can take the other's staged rows into account.
/// </summary>
internal static class LedgerChecks
{
    /// <summary>One more than <see cref="ImportProblemList.Limit"/>, so the "and N more" entry can name the next line.</summary>
    private const string Limit = "101";

    /// <summary>Lines of one order in the file that disagree with its first line on ordered_at, customer_id or channel.</summary>
    public const string OrderAttributesWithinFile = $"""
        WITH split AS (
            SELECT marketplace, order_id, min(line) AS first_line
            FROM staging_sales_lines
            GROUP BY marketplace, order_id
            HAVING count(*) > 1
               AND (min(ordered_at) <> max(ordered_at) OR min(channel) <> max(channel)
                    OR min(customer_id) <> max(customer_id) OR count(customer_id) NOT IN (0, count(*)))
        )
        SELECT s.line, f.line, s.order_id,
               s.ordered_at, f.ordered_at, s.customer_id, f.customer_id, s.channel, f.channel,
               count(*) OVER ()
        FROM split AS d
        JOIN staging_sales_lines AS f ON f.line = d.first_line
        JOIN staging_sales_lines AS s ON s.marketplace = d.marketplace AND s.order_id = d.order_id
        WHERE s.line <> f.line
          AND (s.ordered_at <> f.ordered_at OR s.customer_id IS DISTINCT FROM f.customer_id OR s.channel <> f.channel)
        ORDER BY s.line
        LIMIT {Limit}
        """;

    /// <summary>Staged lines that disagree with a stored line of the same order that the file does not replace.</summary>
    public const string OrderAttributesAgainstLedger = $"""
        SELECT line, line_id, order_id, ordered_at, stored_ordered_at, customer_id, stored_customer_id, channel, stored_channel,
               count(*) OVER ()
        FROM (
            SELECT DISTINCT ON (s.line) s.line, l.line_id, s.order_id,
                   s.ordered_at, l.ordered_at AS stored_ordered_at, s.customer_id, l.customer_id AS stored_customer_id,
                   s.channel, l.channel AS stored_channel
            FROM staging_sales_lines AS s
            JOIN sales_lines AS l ON l.workspace_id = $1 AND l.marketplace = s.marketplace AND l.order_id = s.order_id
            WHERE NOT EXISTS (
                    SELECT 1 FROM staging_sales_lines AS r
                    WHERE r.marketplace = l.marketplace AND r.order_id = l.order_id AND r.line_id = l.line_id)
              AND (s.ordered_at <> l.ordered_at OR s.customer_id IS DISTINCT FROM l.customer_id OR s.channel <> l.channel)
            ORDER BY s.line, l.line_id
        ) AS d
        ORDER BY line
        LIMIT {Limit}
        """;

    /// <summary>Staged lines with fewer units than the stored returns of the line that stay (are not replaced by staged returns).</summary>
    public const string SalesBelowStoredReturns = $"""
        SELECT s.line, s.quantity, sum(x.quantity)::int, count(*) OVER ()
        FROM staging_sales_lines AS s
        JOIN returns AS x
          ON x.workspace_id = $1 AND x.marketplace = s.marketplace AND x.order_id = s.order_id AND x.line_id = s.line_id
        WHERE NOT EXISTS (
                SELECT 1 FROM staging_returns AS r
                WHERE r.marketplace = x.marketplace AND r.order_id = x.order_id AND r.line_id = x.line_id
                  AND r.return_id = x.return_id)
        GROUP BY s.line, s.quantity
        HAVING sum(x.quantity) > s.quantity
        ORDER BY s.line
        LIMIT {Limit}
        """;

    /// <summary>
    /// Staged attribution rows of a marketplace the workspace does not know: none of the connectors' codes ($2), no
    /// sales line of it in the ledger and no connection of it (a typo such as <c>wb</c>, whose rows would attribute nothing).
    /// </summary>
    public const string AttributionOfUnknownMarketplaces = $"""
        SELECT s.line, s.marketplace, count(*) OVER ()
        FROM staging_attribution_rows AS s
        WHERE s.marketplace <> ALL ($2::text[])
          AND NOT EXISTS (SELECT 1 FROM sales_lines AS l WHERE l.workspace_id = $1 AND l.marketplace = s.marketplace)
          AND NOT EXISTS (SELECT 1 FROM connections AS c WHERE c.workspace_id = $1 AND c.marketplace = s.marketplace)
        ORDER BY s.line
        LIMIT {Limit}
        """;

    /// <summary>Staged returns of a sales line that is neither stored nor staged.</summary>
    public const string ReturnsOfUnknownLines = $"""
        SELECT r.line, r.marketplace, r.order_id, r.line_id, count(*) OVER ()
        FROM staging_returns AS r
        WHERE NOT EXISTS (
                SELECT 1 FROM sales_lines AS l
                WHERE l.workspace_id = $1 AND l.marketplace = r.marketplace AND l.order_id = r.order_id AND l.line_id = r.line_id)
          AND NOT EXISTS (
                SELECT 1 FROM staging_sales_lines AS s
                WHERE s.marketplace = r.marketplace AND s.order_id = r.order_id AND s.line_id = r.line_id)
        ORDER BY r.line
        LIMIT {Limit}
        """;

    /// <summary>
    /// For each sales line with staged returns: the first staged return (by line) at which the units returned
    /// (stored returns that stay, plus staged ones up to that line) exceed the units sold (staged line, else stored).
    /// </summary>
    public const string ReturnsBeyondSold = $"""
        WITH kept AS (
            SELECT x.marketplace, x.order_id, x.line_id, sum(x.quantity) AS units
            FROM returns AS x
            WHERE x.workspace_id = $1
              AND EXISTS (
                    SELECT 1 FROM staging_returns AS r
                    WHERE r.marketplace = x.marketplace AND r.order_id = x.order_id AND r.line_id = x.line_id)
              AND NOT EXISTS (
                    SELECT 1 FROM staging_returns AS r
                    WHERE r.marketplace = x.marketplace AND r.order_id = x.order_id AND r.line_id = x.line_id
                      AND r.return_id = x.return_id)
            GROUP BY x.marketplace, x.order_id, x.line_id
        ), running AS (
            SELECT r.line, r.marketplace, r.order_id, r.line_id,
                   coalesce(k.units, 0)
                   + sum(r.quantity) OVER (PARTITION BY r.marketplace, r.order_id, r.line_id ORDER BY r.line) AS units
            FROM staging_returns AS r
            LEFT JOIN kept AS k ON k.marketplace = r.marketplace AND k.order_id = r.order_id AND k.line_id = r.line_id
        ), beyond AS (
            SELECT DISTINCT ON (u.marketplace, u.order_id, u.line_id)
                   u.line, u.marketplace, u.order_id, u.line_id, u.units, coalesce(s.quantity, l.quantity) AS sold
            FROM running AS u
            LEFT JOIN staging_sales_lines AS s
                   ON s.marketplace = u.marketplace AND s.order_id = u.order_id AND s.line_id = u.line_id
            LEFT JOIN sales_lines AS l
                   ON l.workspace_id = $1 AND l.marketplace = u.marketplace AND l.order_id = u.order_id AND l.line_id = u.line_id
            WHERE u.units > coalesce(s.quantity, l.quantity)
            ORDER BY u.marketplace, u.order_id, u.line_id, u.line
        )
        SELECT line, marketplace, order_id, line_id, units::int, sold, count(*) OVER ()
        FROM beyond
        ORDER BY line
        LIMIT {Limit}
        """;

    /// <summary>
    /// Staged orders (of staging table <c>{0}</c>) that the ledger holds from another source than the writer (<c>$2</c>)
    /// and the writer may not take over (decision 0010): a pull takes no order of another source, a file none of a
    /// connection that still exists (files may replace files' rows and the kept rows of a deleted connection). One row
    /// per order: (first line, order_id, owning source, its connection's name or null, count of all).
    /// </summary>
    public static string OrdersOfAnotherSource(string staging) => $"""
        WITH staged AS (
            SELECT marketplace, order_id, min(line) AS line FROM {staging} GROUP BY marketplace, order_id
        ), stored AS (
            SELECT d.line, d.marketplace, d.order_id, l.source
            FROM staged AS d
            JOIN sales_lines AS l ON l.workspace_id = $1 AND l.marketplace = d.marketplace AND l.order_id = d.order_id
            WHERE l.source <> $2
            UNION ALL
            SELECT d.line, d.marketplace, d.order_id, x.source
            FROM staged AS d
            JOIN returns AS x ON x.workspace_id = $1 AND x.marketplace = d.marketplace AND x.order_id = d.order_id
            WHERE x.source <> $2
        ), owned AS (
            SELECT DISTINCT ON (o.marketplace, o.order_id) o.line, o.order_id, o.source
            FROM stored AS o
            WHERE $2 <> '00000000-0000-0000-0000-000000000000'::uuid
               OR EXISTS (SELECT 1 FROM connections AS c WHERE c.id = o.source AND c.workspace_id = $1)
            ORDER BY o.marketplace, o.order_id, o.line
        )
        SELECT w.line, w.order_id, w.source, c.name, count(*) OVER ()
        FROM owned AS w
        LEFT JOIN connections AS c ON c.workspace_id = $1 AND c.id = w.source
        ORDER BY w.line
        LIMIT {Limit}
        """;
}
