using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Wildberries;

namespace SellerDesk.Ingestion.Reports;

/// <summary>
/// Refuses a Wildberries weekly report uploaded into an account whose pulls already brought report lines of the same
/// weeks (decision 0027). Pulled lines are identified by their <c>rrd_id</c> and uploaded ones by report and line
/// number, so the two would both count; a pull after an upload replaces the uploaded report (the connector declares
/// each pulled report's uploaded part whole), but an upload after a pull cannot tell which pulled lines it repeats.
/// The weeks are Monday to Sunday, as the weekly reports are.
/// </summary>
public static class WildberriesReportOverlap
{
    /// <summary>
    /// Why <paramref name="rows"/> (an uploaded report's lines) may not land in connection
    /// <paramref name="connectionId"/> named <paramref name="connectionName"/>, or null: the weeks of the report for
    /// which the connection holds pulled report lines.
    /// </summary>
    public static async Task<LocalText?> RefusalAsync(
        NpgsqlConnection session, Guid connectionId, string connectionName, long reportId, IReadOnlyList<SourceRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(rows);
        var weeks = rows.Select(r => WeekOf(r.BusinessDate)).Distinct().Order().ToArray();
        if (weeks.Length == 0)
        {
            return null;
        }

        // Pulled lines have digits for ids; uploaded ones "{report}:{№}" (WildberriesConnector.UploadedReportPrefix).
        await using var find = new NpgsqlCommand(
            """
            SELECT DISTINCT w.monday
            FROM unnest($3::date[]) AS w (monday)
            WHERE EXISTS (
                SELECT 1 FROM source_rows AS s
                WHERE s.connection_id = $1 AND s.feed = $2 AND s.business_date BETWEEN w.monday AND w.monday + 6
                  AND strpos(s.source_id, ':') = 0)
            ORDER BY w.monday
            """,
            session);
        find.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        find.Parameters.Add(new NpgsqlParameter { Value = WildberriesConnector.RealizationFeed });
        find.Parameters.Add(new NpgsqlParameter { Value = weeks, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        var pulled = new List<DateOnly>();
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                pulled.Add(reader.GetFieldValue<DateOnly>(0));
            }
        }

        return pulled.Count == 0 ? null : WeeksPulled(connectionName, reportId, pulled);
    }

    /// <summary>The Monday of the week of <paramref name="date"/>.</summary>
    public static DateOnly WeekOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>The refusal naming the weeks, in both languages.</summary>
    public static LocalText WeeksPulled(string connectionName, long reportId, IReadOnlyList<DateOnly> weeks)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        var list = string.Join(", ", weeks.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w:dd.MM.yyyy}–{w.AddDays(6):dd.MM.yyyy}")));
        return new LocalText(
            string.Create(CultureInfo.InvariantCulture,
                $"Not uploaded: '{connectionName}' already pulled Wildberries report lines of {(weeks.Count == 1 ? "the week" : "the weeks")} {list} into the ledger, and report {reportId} covers {(weeks.Count == 1 ? "it" : "them")}; landing it too would count those weeks twice. Nothing was stored and the pulled lines stay. Pulls keep these weeks up to date; upload only weeks the account has not pulled."),
            string.Create(CultureInfo.InvariantCulture,
                $"Не загружено: «{connectionName}» уже получил из API строки отчётов Wildberries за {(weeks.Count == 1 ? "неделю" : "недели")} {list}, а отчёт № {reportId} их охватывает; его загрузка посчитала бы эти недели дважды. Ничего не сохранено, полученные строки остались. Эти недели обновляются запросами к API; загружайте только недели, которые аккаунт не получал."));
    }
}
