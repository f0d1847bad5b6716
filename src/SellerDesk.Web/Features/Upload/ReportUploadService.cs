using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Workspaces;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Reports;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Upload;

/// <summary>What a chosen file is: a ledger file of a kind, a marketplace's report, or nothing SellerDesk reads.</summary>
public enum UploadFormat
{
    Unknown,
    Ledger,
    WildberriesReport,
    OzonReport,
}

/// <summary>
/// The format found in a file: <see cref="LedgerKind"/> for a ledger file, <see cref="Marketplace"/> and (for a
/// Wildberries report) the <see cref="ReportNumber"/> the file or its name gives.
/// </summary>
public sealed record UploadDetection(UploadFormat Format, LedgerFileKind? LedgerKind = null, string? Marketplace = null, long? ReportNumber = null)
{
    public static UploadDetection Unknown { get; } = new(UploadFormat.Unknown);
}

/// <summary>How a report upload ended: the problems by line (nothing stored), or the run that landed it.</summary>
public sealed record ReportUploadOutcome(IReadOnlyList<ReportProblem> Problems, ReportImportResult? Import, LocalText? Refusal)
{
    public bool Succeeded => Problems.Count == 0 && Refusal is null && Import is { Result.Succeeded: true };
}

/// <summary>
/// Marketplace reports on the upload page (decision 0027): tells which format a file is in, lists the accounts a
/// report can go to, and lands a report through <see cref="MarketplaceReportImporter"/> with an audit entry.
/// </summary>
public sealed partial class ReportUploadService(
    ConnectionService connections, MarketplaceReportImporter importer, AuditLog audit)
{
    /// <summary>The largest report file read (a weekly report of 100 000 lines is about 40 MB as XLSX).</summary>
    public const long MaxReportBytes = 128L * 1024 * 1024;

    private const int HeadBytes = 64 * 1024;

    /// <summary>
    /// The format of a file from its start (a CSV's header line) or, for XLSX, its first sheet's header row; reads at
    /// most <see cref="MaxReportBytes"/>.
    /// </summary>
    public static async Task<UploadDetection> DetectAsync(Stream file, string? fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        var head = new byte[HeadBytes];
        var read = 0;
        while (read < head.Length && await file.ReadAsync(head.AsMemory(read), ct) is var n and > 0)
        {
            read += n;
        }

        ReportTable table;
        try
        {
            if (ReportTable.LooksLikeSpreadsheet(head.AsSpan(0, read)))
            {
                var whole = new MemoryStream();
                whole.Write(head, 0, read);
                await CopyLimitedAsync(file, whole, MaxReportBytes, ct);
                whole.Position = 0;
                table = await ReportTable.ReadAsync(whole, ct);
            }
            else
            {
                // The header line is enough: cut the head at its last line break so no record is read half.
                var text = Encoding.UTF8.GetString(head, 0, read);
                var end = text.LastIndexOf('\n');
                var complete = end > 0 && read == HeadBytes ? text[..end] : text;
                table = await ReportTable.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(complete)), ct);
            }
        }
        catch (Exception ex) when (ex is ReportFormatException or InvalidDataException or IOException or System.Xml.XmlException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            return UploadDetection.Unknown;
        }

        return Detect(table, fileName);
    }

    /// <summary>The format of a table read whole.</summary>
    public static UploadDetection Detect(ReportTable table, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (WildberriesReportFile.Matches(table))
        {
            return new UploadDetection(UploadFormat.WildberriesReport, Marketplace: WildberriesConnector.MarketplaceCode,
                ReportNumber: WildberriesReportFile.ReportNumberIn(table) ?? ReportNumberInName(fileName));
        }

        if (OzonAccrualsFile.Matches(table))
        {
            return new UploadDetection(UploadFormat.OzonReport, Marketplace: OzonAccrualsFile.MarketplaceCode);
        }

        if (table.IsSpreadsheet)
        {
            return UploadDetection.Unknown;
        }

        // A ledger file: the kind whose required columns are all in the header (the header names are the spec's).
        var names = table.Header.Select(h => h.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var match = LedgerFileSpec.All
            .Where(s => s.Columns.Where(c => c.Required).All(c => names.Contains(c.Name)))
            .OrderByDescending(s => s.Columns.Count(c => names.Contains(c.Name)))
            .ThenByDescending(s => s.Columns.Count(c => c.Required))
            .FirstOrDefault();
        return match is null ? UploadDetection.Unknown : new UploadDetection(UploadFormat.Ledger, LedgerKind: match.Kind);
    }

    /// <summary>The report number in a file name as the cabinet names its downloads (the longest run of 5 or more digits), or null.</summary>
    public static long? ReportNumberInName(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return null;
        }

        return Digits().Matches(Path.GetFileNameWithoutExtension(fileName))
            .Select(m => m.Value)
            .OrderByDescending(v => v.Length)
            .Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (long?)null)
            .FirstOrDefault(n => n is > 0);
    }

    /// <summary>The workspace's accounts of <paramref name="marketplace"/> a report can go to, by name.</summary>
    public async Task<IReadOnlyList<ConnectionView>> TargetsAsync(Guid workspaceId, string marketplace, CancellationToken ct) =>
        [.. (await connections.ListAsync(workspaceId, ct)).Where(c => c.Marketplace == marketplace).OrderBy(c => c.Name, StringComparer.CurrentCulture)];

    /// <summary>Adds an account fed by uploaded reports only, with its audit entry.</summary>
    public async Task<Guid> CreateReportAccountAsync(Actor actor, Guid workspaceId, string marketplace, string name, CancellationToken ct)
    {
        var id = await connections.CreateForReportsAsync(workspaceId, marketplace, name, ct);
        await audit.WriteAsync(actor, workspaceId, AuditActions.ConnectionCreated, new LocalText(
            $"Connection '{name.Trim()}' ({marketplace}) created for uploaded reports: no credentials, no schedule.",
            $"Создано подключение «{name.Trim()}» ({marketplace}) для загружаемых отчётов: без ключей и расписания."));
        return id;
    }

    /// <summary>Reads the report and lands it in <paramref name="connectionId"/>; problems by line store nothing.</summary>
    public async Task<ReportUploadOutcome> ImportAsync(
        Actor actor, WorkspaceContext workspace, UploadFormat format, Guid connectionId, long? reportNumber, Ingestion.Connectors.PullWindow? period, Stream file, string? fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var buffered = new MemoryStream();
        await CopyLimitedAsync(file, buffered, MaxReportBytes, ct);
        buffered.Position = 0;
        ReportTable table;
        try
        {
            table = await ReportTable.ReadAsync(buffered, ct);
        }
        catch (ReportFormatException ex)
        {
            return new ReportUploadOutcome([new ReportProblem(ex.Line, null, new LocalText(ex.Message, "файл не читается как таблица: " + ex.Message))], null, null);
        }

        UploadedReport report;
        LocalText name;
        switch (format)
        {
            case UploadFormat.WildberriesReport:
                if (reportNumber is not > 0)
                {
                    return new ReportUploadOutcome([], null, new LocalText(
                        "Give the report's number (the cabinet shows it beside the report): a corrected report uploaded again replaces the lines of that number.",
                        "Укажите номер отчёта (кабинет показывает его рядом с отчётом): исправленный отчёт, загруженный снова, заменяет строки с этим номером."));
                }

                var wb = WildberriesReportFile.Read(table, reportNumber.Value);
                if (!wb.Succeeded)
                {
                    await AuditRejectedAsync(actor, workspace.Id, fileName, wb.Problems.Count, ct);
                    return new ReportUploadOutcome(wb.Problems, null, null);
                }

                name = ReportTexts.WildberriesReport(reportNumber.Value);
                report = new UploadedReport(WildberriesConnector.MarketplaceCode, wb.Rows)
                {
                    CompletedParts = [new(WildberriesConnector.RealizationFeed, WildberriesReportFile.SourceIdPrefix(reportNumber.Value))],
                    Name = name,
                };
                break;
            case UploadFormat.OzonReport:
                var ozon = OzonAccrualsFile.Read(table, period);
                if (!ozon.Succeeded)
                {
                    await AuditRejectedAsync(actor, workspace.Id, fileName, ozon.Problems.Count, ct);
                    return new ReportUploadOutcome(ozon.Problems, null, null);
                }

                report = ozon.Report!;
                name = report.Name!;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Not a marketplace report.");
        }

        ReportImportResult import;
        try
        {
            import = await importer.ImportAsync(workspace.Id, connectionId, report, ct);
        }
        catch (ReportTargetException ex)
        {
            return new ReportUploadOutcome([], null, ex.Text);
        }

        var r = import.Result;
        await audit.WriteAsync(actor, workspace.Id, AuditActions.Import, r.Succeeded
            ? new LocalText(
                $"{name.En}{FileOf(fileName)} uploaded into '{import.ConnectionName}': {r.RowsRead} lines, {r.Inserted} new, {r.Updated} changed, {r.Dropped} no longer in it; run {import.RunId}.",
                $"{Capital(name.Ru)}{FileOf(fileName)} загружен в «{import.ConnectionName}»: строк {r.RowsRead}, новых {r.Inserted}, изменённых {r.Updated}, исчезнувших {r.Dropped}; запуск {import.RunId}.")
            : new LocalText(
                $"{name.En}{FileOf(fileName)} could not be landed in '{import.ConnectionName}': {r.Error?.En}",
                $"{Capital(name.Ru)}{FileOf(fileName)} не удалось загрузить в «{import.ConnectionName}»: {r.Error?.Ru}"));
        return new ReportUploadOutcome([], import, null);
    }

    private Task AuditRejectedAsync(Actor actor, Guid workspaceId, string? fileName, int problems, CancellationToken ct) =>
        audit.WriteAsync(actor, workspaceId, AuditActions.Import, new LocalText(
            $"Marketplace report{FileOf(fileName)} rejected with {problems} problem(s); nothing was written.",
            $"Отчёт маркетплейса{FileOf(fileName)} отклонён: проблем {problems}; ничего не записано."));

    private static string FileOf(string? fileName) =>
        string.IsNullOrWhiteSpace(fileName) ? string.Empty : $" '{(fileName.Length > 200 ? fileName[..200] : fileName)}'";

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.GetCultureInfo("ru-RU")) + text[1..];

    private static async Task CopyLimitedAsync(Stream from, Stream to, long limit, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = to.Length;
        while (await from.ReadAsync(buffer, ct) is var n and > 0)
        {
            total += n;
            if (total > limit)
            {
                throw new ReportTooLargeException();
            }

            await to.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }

    [GeneratedRegex("[0-9]{5,}")]
    private static partial Regex Digits();
}

/// <summary>A report file larger than <see cref="ReportUploadService.MaxReportBytes"/>.</summary>
public sealed class ReportTooLargeException : Exception
{
    public ReportTooLargeException()
        : base("The report file is larger than the page reads.")
    {
    }

    public ReportTooLargeException(string message)
        : base(message)
    {
    }

    public ReportTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
