using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Bench.Steps;

/// <summary>
/// Step 10 (issue 12, point 7): large exports stream. The drill-down of every order of the year is downloaded over
/// HTTP as CSV and as XLSX (GET /api/v1/reports/drilldown?format=...), after the same export of one month, while the
/// app's RSS is sampled every 50 ms: memory is flat when the year's export peaks no higher than 1.25 times the month's.
/// Each export's time to the first and the last byte, its size and (CSV) rows are printed.
/// </summary>
internal static class DrillDownExportStep
{
    private const double FlatLimit = 1.25;

    public static async Task RunAsync(BenchContext context, AppProcess app, BenchResults result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(result);
        var month = new DateOnly(context.Last.Year, context.Last.Month, 1);
        BenchContext.Section($"10. Drill-down export over HTTP (CSV and XLSX): every order of {month:yyyy-MM}, then of the whole year; the app's RSS sampled every 50 ms");
        var (rss, hwm) = ProcStats.Memory(app.Pid);
        Console.WriteLine($"  app RSS before the exports {BenchContext.Mb(rss)} MB (peak over the app's life so far, VmHWM, {BenchContext.Mb(hwm)} MB)");
        foreach (var format in new[] { "csv", "xlsx" })
        {
            foreach (var (from, label) in new[] { (month, month.ToString("yyyy-MM", CultureInfo.InvariantCulture)), (context.First, "year") })
            {
                await context.QuietAsync($"drill-down export {format} {label}");
                var measurement = await ExportAsync(context, app, format, from, label);
                result.Exports.Add(measurement);
                Console.WriteLine($"  {format,-4} {label,-7} {measurement.Lines,10:N0} lines: {measurement.Seconds,6:0.00} s (first byte {measurement.FirstByteSeconds:0.00} s), " +
                    $"{BenchContext.Mb(measurement.Bytes)} MB{(measurement.Rows >= 0 ? $", {measurement.Rows:N0} rows" : string.Empty)}; " +
                    $"app RSS {BenchContext.Mb(measurement.RssBefore)} MB before, peak {BenchContext.Mb(measurement.RssPeak)} MB during  load {measurement.Load}");
            }
        }
    }

    /// <summary>Per format: the year's export against the month's, PASS when its peak RSS is at most 1.25 times the month's.</summary>
    public static IEnumerable<(string Target, string Measured, string Goal, bool Ok)> SummaryRows(IReadOnlyList<ExportMeasurement> exports)
    {
        ArgumentNullException.ThrowIfNull(exports);
        foreach (var format in exports.Select(e => e.Format).Distinct())
        {
            var month = exports.First(e => e.Format == format);
            var year = exports.Last(e => e.Format == format);
            var growth = (double)year.RssPeak / month.RssPeak;
            yield return (
                $"Drill-down {format.ToUpperInvariant()} export, {year.Lines:N0} lines",
                $"{year.Seconds:0.0} s; peak RSS {BenchContext.Mb(year.RssPeak)} vs {BenchContext.Mb(month.RssPeak)} MB for {month.Lines:N0} lines (x{growth:0.00})",
                $"RSS <= x{FlatLimit:0.00} of a month's",
                growth <= FlatLimit);
        }
    }

    private static async Task<ExportMeasurement> ExportAsync(BenchContext context, AppProcess app, string format, DateOnly from, string label)
    {
        var period = string.Create(CultureInfo.InvariantCulture, $"from={from:yyyy-MM-dd}&to={context.Last:yyyy-MM-dd}&as_of={context.Last:yyyy-MM-dd}");
        var lines = await LinesAsync(app, period);
        var before = ProcStats.Memory(app.Pid);
        var uri = new Uri($"/api/v1/reports/drilldown?{period}&format={format}", UriKind.Relative);
        var rss = new RssSampler(app.Pid);
        var clock = Stopwatch.StartNew();
        long bytes = 0, rows = 0;
        double firstByte;
        using (var response = await app.Http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead))
        {
            firstByte = clock.Elapsed.TotalSeconds;
            if (!response.IsSuccessStatusCode)
            {
                await rss.DisposeAsync();
                throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                bytes += read;
                rows += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await rss.DisposeAsync();

        // The CSV has one row per line and a header; an XLSX is zipped, so its rows are not counted.
        if (format == "csv" && rows != lines + 1)
        {
            throw new InvalidOperationException($"The {label} CSV export has {rows} rows; the drill-down has {lines} lines (and a header).");
        }

        return new ExportMeasurement(format, label, lines, format == "csv" ? rows : -1, bytes, seconds, firstByte, before.Rss, rss.Peak, before.Hwm)
        {
            Load = BenchContext.LoadAverage(),
        };
    }

    /// <summary>The drill-down's own count of lines for the period (the totals of its first page).</summary>
    private static async Task<long> LinesAsync(AppProcess app, string period)
    {
        using var response = await app.Http.GetAsync(new Uri($"/api/v1/reports/drilldown?{period}&limit=1", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return json.RootElement.GetProperty("totals").GetProperty("lines").GetInt64();
    }
}
