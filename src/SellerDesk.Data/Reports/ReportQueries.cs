using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// Reads what the reports need: the sums of the stored facts (migration 0017, <see cref="FactSumQueries"/>), which the
/// domain computed when the ledger was written, with the ad spend and period fees; or one source's ledger rows. No
/// metric formula is written here.
/// </summary>
public sealed class ReportQueries(NpgsqlDataSource dataSource)
{
    private readonly LedgerReader _ledger = new(dataSource);
    private readonly FactSumQueries _sums = new(dataSource);
    private readonly FirstSkuQueries _firstSkus = new(dataSource);

    /// <summary>
    /// The sums the reports of one period read (<see cref="ReportSums"/>), from the stored facts of the whole
    /// workspace (migration 0017), with the ad spend and period fees dated up to as_of.
    /// </summary>
    public async Task<ReportSums> LoadSumsAsync(Guid workspaceId, ReportPeriod period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var spend = await ReadDatedAsync(
            "SELECT date, marketplace, channel, amount FROM ad_spend WHERE workspace_id = $1 AND date <= $2",
            workspaceId, period.AsOf, r => new AdSpend(r.GetFieldValue<DateOnly>(0), NamePool.Get(r.GetString(1)), NamePool.Get(r.GetString(2)), r.GetDecimal(3)), cancellationToken);
        var fees = await ReadDatedAsync(
            "SELECT date, marketplace, kind, amount FROM period_fees WHERE workspace_id = $1 AND date <= $2",
            workspaceId, period.AsOf, r => new PeriodFee(r.GetFieldValue<DateOnly>(0), NamePool.Get(r.GetString(1)), NamePool.Get(r.GetString(2)), r.GetDecimal(3)), cancellationToken);
        return await _sums.LoadAsync(workspaceId, period, spend, fees, cancellationToken);
    }

    /// <summary>LTV by first SKU (decision 0029) of the whole workspace, from the stored facts.</summary>
    public Task<IReadOnlyList<FirstSkuCohortRow>> LoadFirstSkuCohortsAsync(Guid workspaceId, ReportPeriod period, CohortFilter filter, CancellationToken cancellationToken = default) =>
        _firstSkus.LoadAsync(workspaceId, period, filter, cancellationToken);

    /// <summary>The workspace's ledger rows as domain records, of one source or all.</summary>
    public Task<LedgerRows> LoadLedgerAsync(Guid workspaceId, LedgerSource? source, CancellationToken cancellationToken = default) =>
        _ledger.ReadAsync(workspaceId, source, cancellationToken);

    /// <summary>The ledger's version: every write that changes ledger rows increments it.</summary>
    public async Task<long> LedgerVersionAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT ledger_version FROM workspaces WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : -1;
    }

    private async Task<List<T>> ReadDatedAsync<T>(
        string sql, Guid workspaceId, DateOnly asOf, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = asOf, NpgsqlDbType = NpgsqlDbType.Date });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

}

/// <summary>
/// One instance per distinct short text (marketplace codes, channel names) that many kept records repeat; shared by
/// every query of the process, at most <see cref="Capacity"/> texts (beyond that a text is kept as it came).
/// </summary>
internal static class NamePool
{
    private const int Capacity = 4_096;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Shared = new(StringComparer.Ordinal);

    public static string Get(string text)
    {
        if (Shared.TryGetValue(text, out var pooled))
        {
            return pooled;
        }

        return Shared.Count < Capacity ? Shared.GetOrAdd(text, text) : text;
    }
}

