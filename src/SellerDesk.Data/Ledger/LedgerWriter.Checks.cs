using System.Globalization;
using Npgsql;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Data.Ledger;

/// <summary>The checks of <see cref="LedgerWriter"/>: the records' own rules, and how the set checks' rows read as problems.</summary>
public sealed partial class LedgerWriter
{
    private static void CheckRecords<T>(IReadOnlyList<T> records, LedgerFileKind kind, Action<T, IProblemSink> check, ImportProblemList problems)
    {
        var sink = new BatchProblemSink(kind, problems);
        for (var i = 0; i < records.Count; i++)
        {
            sink.Item = i + 1;
            check(records[i], sink);
        }
    }

    /// <summary>Lists the staged rows of <paramref name="table"/> whose key an earlier line has.</summary>
    private static Task DuplicatesAsync(
        NpgsqlConnection connection, Guid workspaceId, LedgerTable table, string unit, bool batch, ImportProblemList problems, CancellationToken cancellationToken) =>
        new CheckContext(connection, workspaceId, batch ? table.Kind : null, problems).RunAsync(table.DuplicatesSql, r =>
        [
            new(r.GetInt32(0), null, Invariant($"duplicates {unit} {r.GetInt32(1)} (same {table.KeyDescription})")),
        ], cancellationToken);

    /// <summary>
    /// One problem per attribute that differs, from a row of (line, other line, order_id, ordered_at, other,
    /// customer_id, other, channel, other).
    /// </summary>
    private static List<ImportProblem> OrderProblems(NpgsqlDataReader r, TimeZoneInfo zone, Func<string, string, string> where)
    {
        var line = r.GetInt32(0);
        var other = r.GetValue(1).ToString() ?? string.Empty;
        var suffix = where(other, r.GetString(2));
        var problems = new List<ImportProblem>();
        var orderedAt = r.GetFieldValue<DateTimeOffset>(3);
        var otherOrderedAt = r.GetFieldValue<DateTimeOffset>(4);
        if (orderedAt != otherOrderedAt)
        {
            problems.Add(new(line, "ordered_at", $"ordered_at {ShowTime(orderedAt, zone)} differs from {ShowTime(otherOrderedAt, zone)} {suffix}"));
        }

        var customer = r.IsDBNull(5) ? null : r.GetString(5);
        var otherCustomer = r.IsDBNull(6) ? null : r.GetString(6);
        if (!string.Equals(customer, otherCustomer, StringComparison.Ordinal))
        {
            problems.Add(new(line, "customer_id", $"customer_id {ShowText(customer)} differs from {ShowText(otherCustomer)} {suffix}"));
        }

        var channel = r.GetString(7);
        var otherChannel = r.GetString(8);
        if (!string.Equals(channel, otherChannel, StringComparison.Ordinal))
        {
            problems.Add(new(line, "channel", $"channel {ShowText(channel)} differs from {ShowText(otherChannel)} {suffix}"));
        }

        return problems;
    }

    /// <summary>Why an order cannot be written by <paramref name="writer"/>: who holds it.</summary>
    private static string OwnedMessage(string orderId, LedgerSource writer, LedgerSource owner, string? connectionName)
    {
        var holder = owner.IsFile
            ? "from files"
            : connectionName is null ? "from a deleted connection" : $"from connection '{connectionName}'";
        return writer.IsFile
            ? $"order {orderId} is in the ledger {holder}, which pulls keep up to date: a file cannot change it"
            : $"order {orderId} is in the ledger {holder}: a pull does not overwrite another source's rows";
    }

    private static string ShowTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string ShowText(string? value) => value is null ? "(empty)" : LedgerRules.Show(value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs set checks and adds what they find (with the batch kind, when a batch) to the problems.</summary>
    private sealed class CheckContext(NpgsqlConnection connection, Guid workspaceId, LedgerFileKind? kind, ImportProblemList problems)
    {
        /// <summary>
        /// Runs <paramref name="sql"/> (workspace as $1, then <paramref name="values"/>; last column: the count of all
        /// matches) and maps each row.
        /// </summary>
        public async Task RunAsync(
            string sql, Func<NpgsqlDataReader, IReadOnlyList<ImportProblem>> map, CancellationToken cancellationToken, params object[] values)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = 0L;
            var total = 0L;
            while (await reader.ReadAsync(cancellationToken))
            {
                rows++;
                total = reader.GetInt64(reader.FieldCount - 1);
                foreach (var problem in map(reader))
                {
                    problems.Add(kind is null ? problem : problem with { Kind = kind });
                }
            }

            problems.AddUnlisted((int)(total - rows));
        }
    }

    /// <summary>Reports a batch item's rule violations with its kind and position.</summary>
    private sealed class BatchProblemSink(LedgerFileKind kind, ImportProblemList problems) : IProblemSink
    {
        public int Item { get; set; }

        public void Add(string column, string message) => problems.Add(new ImportProblem(Item, column, message) { Kind = kind });
    }
}
