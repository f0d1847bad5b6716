namespace SellerDesk.Bench;

/// <summary>Every figure of a run, filled in by the steps and printed by <see cref="BenchSummary"/>.</summary>
internal sealed class BenchResults
{
    public CopyMeasurement? Copy { get; set; }

    public ImportMeasurement? Small { get; set; }

    public ImportMeasurement? Big { get; set; }

    public List<ImportMeasurement> BigRuns { get; set; } = [];

    public List<ImportMeasurement> Others { get; } = [];

    public List<ReportMeasurement> Reports { get; } = [];

    public List<(string Name, double Ms, string Load)> Restarted { get; } = [];

    public List<(string Name, double Ms, string Load)> PastAsOf { get; } = [];

    public List<(string Round, LoadRound Figures, string Load)> Load { get; } = [];

    public NaivePeerMeasurement? Naive { get; set; }

    public Dictionary<string, string> Loads { get; } = [];

    public FreshnessMeasurement? Fresh { get; set; }

    public (long Before, long After, long Hwm) ReportRss { get; set; }

    public List<ExportMeasurement> Exports { get; } = [];

    public Breakdown? Breakdown { get; set; }

    public IReadOnlyList<(string Name, double Ms)> Merge { get; set; } = [];

    public string? EmptyStats { get; set; }
}

internal sealed record CopyMeasurement(long Lines, double Seconds, double PgCpu)
{
    public double LinesPerSecond => Lines / Seconds;
}

internal sealed record ImportMeasurement(string Kind, long Lines, double Seconds, double? UploadSeconds, double AppCpu, double PgCpu)
{
    public double LinesPerSecond => Lines / Seconds;

    public double OtherCpu { get; init; }

    public long RssStart { get; init; }

    public long RssPeak { get; init; }

    public long RssEnd { get; init; }

    public IReadOnlyList<long> RssByTenth { get; init; } = [];

    public List<(string Label, double Seconds)> Phases { get; } = [];
}

internal sealed record ReportMeasurement(string Name, double Cold, double WarmMin, double WarmMedian, double WarmMax, int Rows, int Bytes)
{
    public string Load { get; init; } = "?";
}

internal sealed record NaivePeerMeasurement(double FirstMs, double SecondMs, decimal Revenue, decimal AppRevenue, string Load);

internal sealed record FreshnessMeasurement(long Lines, double WriteSeconds, double ReportMs, decimal RevenueAdded);

/// <summary>
/// One drill-down export over HTTP: its lines (the drill-down's own total), rows and bytes received, time to the last
/// byte, and the app's RSS just before and at its highest while the file streamed.
/// </summary>
internal sealed record ExportMeasurement(
    string Format, string Period, long Lines, long Rows, long Bytes, double Seconds, double FirstByteSeconds, long RssBefore, long RssPeak, long HwmBefore)
{
    public string Load { get; init; } = "?";
}

internal sealed record Breakdown(
    double? ExecutionMs, double LoadMs, double BuildMs, double ChannelsMs, double MarketplacesMs, double CohortsMs);
