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

    /// <summary>A marketplace report in a layout SellerDesk does not read: <see cref="UploadDetection.Unsupported"/> names it.</summary>
    UnsupportedReport,
}

/// <summary>
/// The format found in a file: <see cref="LedgerKind"/> for a ledger file, <see cref="Marketplace"/> and (for a
/// Wildberries report) the <see cref="ReportNumber"/> the file or its name gives.
/// </summary>
public sealed record UploadDetection(UploadFormat Format, LedgerFileKind? LedgerKind = null, string? Marketplace = null, long? ReportNumber = null)
{
    /// <summary>For <see cref="UploadFormat.UnsupportedReport"/>: which report it is and what to upload instead, in both languages.</summary>
    public LocalText? Unsupported { get; init; }

    public static UploadDetection Unknown { get; } = new(UploadFormat.Unknown);
}

/// <summary>How a report upload ended: the problems by line (nothing stored), or the run that landed it.</summary>
public sealed record ReportUploadOutcome(IReadOnlyList<ReportProblem> Problems, ReportImportResult? Import, LocalText? Refusal)
{
    public bool Succeeded => Problems.Count == 0 && Refusal is null && Import is { Result.Succeeded: true };
}

/// <summary>Where a report goes: an existing account (<see cref="ConnectionId"/>), or a new one by <see cref="NewAccountName"/>, made only if the report lands.</summary>
public sealed record ReportTarget(Guid? ConnectionId, string? NewAccountName)
{
    public static ReportTarget Existing(Guid connectionId) => new(connectionId, null);

    public static ReportTarget NewAccount(string? name) => new(null, name);
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

        if (UnsupportedLayout(table) is { } unsupported)
        {
            return new UploadDetection(UploadFormat.UnsupportedReport, Marketplace: unsupported.Marketplace) { Unsupported = unsupported.Text };
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

    /// <summary>
    /// A marketplace report SellerDesk does not read, named from its header: Ozon's accruals in the long layout (one row
    /// per service: "Группа услуг", "Сумма итого, руб."), another Ozon report (postings or SKUs but not the accruals'
    /// columns), or another Wildberries report (its article or order columns but not the weekly detail's); null otherwise.
    /// </summary>
    public static (string Marketplace, LocalText Text)? UnsupportedLayout(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        bool Has(params string[] headers) => headers.Any(h => table.Column(h) >= 0);
        string Missing(IEnumerable<string> headers) => string.Join(", ", headers.Where(h => table.Column(h) < 0).Select(h => $"«{h}»"));
        if (Has("Группа услуг") && Has("Сумма итого, руб.", "Сумма итого, руб", "Сумма итого"))
        {
            return (OzonAccrualsFile.MarketplaceCode, new LocalText(
                "Ozon's accruals report in its long layout (one row per service, with «Группа услуг» and «Сумма итого, руб.»). SellerDesk reads the wide layout of Finance → Accruals: one row per accrual, with a column per charge such as «За продажу или возврат до вычета комиссий и услуг» and «Итого». Download the report in that layout and upload it; nothing was read from this file.",
                "отчёт Ozon о начислениях в длинном виде (строка на услугу, со столбцами «Группа услуг» и «Сумма итого, руб.»). SellerDesk читает широкий вид отчёта «Финансы → Начисления»: строка на начисление, столбец на каждый вид начисления, например «За продажу или возврат до вычета комиссий и услуг» и «Итого». Скачайте отчёт в этом виде и загрузите его; из этого файла ничего не прочитано."));
        }

        if (Has("Номер отправления", "Номер отправления или идентификатор услуги", "Ozon SKU", "OZON id", "Тип начисления"))
        {
            var missing = Missing(OzonAccrualsFile.Signature);
            return (OzonAccrualsFile.MarketplaceCode, new LocalText(
                $"an Ozon report other than the accruals report SellerDesk reads (it lacks {missing}). Upload Finance → Accruals as the cabinet gives it; nothing was read from this file.",
                $"отчёт Ozon, но не отчёт о начислениях, который читает SellerDesk (в нём нет столбцов {missing}). Загрузите «Финансы → Начисления» в том виде, в каком его выдаёт кабинет; из этого файла ничего не прочитано."));
        }

        if (Has("Srid", "Код номенклатуры", "Артикул WB", "Обоснование для оплаты", "Номер поставки"))
        {
            var missing = Missing(WildberriesReportFile.Signature);
            return (WildberriesConnector.MarketplaceCode, new LocalText(
                $"a Wildberries report other than the weekly realization report's detail SellerDesk reads (it lacks {missing}). Upload the report's detail (Детализация) as the cabinet gives it; nothing was read from this file.",
                $"отчёт Wildberries, но не детализация еженедельного отчёта о реализации, которую читает SellerDesk (в нём нет столбцов {missing}). Загрузите детализацию отчёта в том виде, в каком её выдаёт кабинет; из этого файла ничего не прочитано."));
        }

        return null;
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

    /// <summary>Reads the report and lands it in <paramref name="target"/>; problems by line and refusals store nothing.</summary>
    public async Task<ReportUploadOutcome> ImportAsync(
        Actor actor, WorkspaceContext workspace, UploadFormat format, ReportTarget target, long? reportNumber, Ingestion.Connectors.PullWindow? period, Stream file, string? fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(target);
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

        // The file is read as what the page found, and refused in plain words when it is in a layout SellerDesk does not read.
        var found = Detect(table, fileName);
        if (found.Format != format)
        {
            return new ReportUploadOutcome([], null, found.Unsupported ?? NotThisFormat(format));
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

                report = WildberriesReportFile.Report(reportNumber.Value, wb.Rows);
                name = report.Name!;
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

        // A new account is made only for a report that may land, and goes again when the landing fails: a refused
        // upload never leaves an empty account behind.
        Guid connectionId;
        var created = false;
        if (target.ConnectionId is { } chosen)
        {
            connectionId = chosen;
        }
        else
        {
            if (await importer.RefusalForNewAccountAsync(workspace.Id, report, ct) is { } held)
            {
                return new ReportUploadOutcome([], null, held);
            }

            try
            {
                connectionId = await connections.CreateForReportsAsync(workspace.Id, report.Marketplace, target.NewAccountName, ct);
            }
            catch (ConnectionValidationException ex)
            {
                return new ReportUploadOutcome([], null, ex.Texts.Values.SelectMany(t => t).FirstOrDefault() ?? new LocalText(ex.Message, ex.Message));
            }

            created = true;
        }

        ReportImportResult import;
        try
        {
            import = await importer.ImportAsync(workspace.Id, connectionId, report, ct);
        }
        catch (ReportTargetException ex)
        {
            await ForgetNewAccountAsync(workspace.Id, connectionId, created);
            return new ReportUploadOutcome([], null, ex.Text);
        }
        catch
        {
            await ForgetNewAccountAsync(workspace.Id, connectionId, created);
            throw;
        }

        if (created)
        {
            if (import.Result.Succeeded)
            {
                await audit.WriteAsync(actor, workspace.Id, AuditActions.ConnectionCreated, new LocalText(
                    $"Connection '{import.ConnectionName}' ({report.Marketplace}) created for uploaded reports: no credentials, no schedule.",
                    $"Создано подключение «{import.ConnectionName}» ({report.Marketplace}) для загружаемых отчётов: без ключей и расписания."));
            }
            else
            {
                await ForgetNewAccountAsync(workspace.Id, connectionId, created);
            }
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

    /// <summary>Deletes the account this upload made (with whatever a failed run left of it), when it made one.</summary>
    private async Task ForgetNewAccountAsync(Guid workspaceId, Guid connectionId, bool created)
    {
        if (created)
        {
            await connections.DeleteAsync(workspaceId, connectionId, ConnectionDataChoice.Remove, CancellationToken.None);
        }
    }

    private static LocalText NotThisFormat(UploadFormat format) => format switch
    {
        UploadFormat.WildberriesReport => new LocalText(
            "Not uploaded: the file is no longer the Wildberries weekly report's detail the page found; choose it again.",
            "Не загружено: файл больше не похож на детализацию еженедельного отчёта Wildberries, которую нашла страница; выберите его снова."),
        _ => new LocalText(
            "Not uploaded: the file is no longer Ozon's accruals report the page found; choose it again.",
            "Не загружено: файл больше не похож на отчёт Ozon о начислениях, который нашла страница; выберите его снова."),
    };

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
