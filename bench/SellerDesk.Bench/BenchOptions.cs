using System.Globalization;

namespace SellerDesk.Bench;

/// <summary>Command line of the benchmark; every option has the default that the targets are stated for.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        SellerDesk end-to-end benchmark (docs/benchmarks.md)
          dotnet run -c Release --project bench/SellerDesk.Bench [-- options]
          dotnet run -c Release --project bench/SellerDesk.Bench -- pull [pull options]   (the Wildberries pull alone)
          dotnet run -c Release --project bench/SellerDesk.Bench -- export [--lines N]    (the drill-down export step alone, step 10)
        Pull options:
          --pull-lines N     report lines of the big pull (default 200000)
          --pull-small N     report lines of the smaller pull, to show memory stays flat (default 50000)
          --pull-runs N      runs of the big pull, each into a fresh database; best and median are shown (default 3)
          --pull-huge N      report lines of a third size pulled in the memory runs only (default 400000; 0 = none)
        Each size is then pulled once more, untimed, with a full collection every 50 ms to read the live managed
        memory; the pull's working memory is flat when the huge report needs at most 1.25 times the big one's.
        Options:
          --lines N          sales lines of the big import (default 1000000)
          --small-lines N    sales lines of the first, smaller import (default 250000)
          --day-lines N      sales lines of the one day imported into the big ledger for freshness (default 20000)
          --warm N           warm calls per report (default 5)
          --import-runs N    runs of the big import, each into an empty ledger; the fastest counts (default 2)
          --stats-lines N    sales lines of the import into a ledger ANALYZEd while empty (step 9; default 40000)
          --stats-timeout S  time limit of that import in seconds (default 120)
          --year YYYY        the calendar year the ledger covers (default 2025)
          --connection CS    an admin connection string of a role with CREATEDB (default: ConnectionStrings__SellerDesk,
                             else Host=127.0.0.1;Port=5432;Database=sellerdesk;Username=sellerdesk;Password=sellerdesk;SSL Mode=Disable)
          --quiet-wait S     before each timed step wait up to S seconds for the machine to be quiet (<15% CPU busy);
                             0 = do not wait (default 120)
          --buyers-per-line X identified buyers per sales line of both ledgers (default 0.2: issue 11's 2M buyers in 10M
                             lines; the buyer id share of Ozon and Yandex Market orders is raised to reach it)
          --skip-diagnostics skip the slow diagnostic steps 7-9 (report and merge EXPLAINs, plan stability)
          --skip-export      skip step 10 (the drill-down export of every order of the year, CSV and XLSX)
          --keep-files       keep the generated CSV files and the app logs (their folder is printed)
          --keep-database    do not drop the benchmark database at the end (its connection string is printed)
        """;

    public long Lines { get; private init; } = 1_000_000;

    public long SmallLines { get; private init; } = 250_000;

    public long DayLines { get; private init; } = 20_000;

    public int WarmCalls { get; private init; } = 5;

    public int ImportRuns { get; private init; } = 2;

    public int Year { get; private init; } = 2025;

    public long StatsLines { get; private init; } = 40_000;

    public int StatsTimeoutSeconds { get; private init; } = 120;

    public string Connection { get; private init; } =
        Environment.GetEnvironmentVariable("ConnectionStrings__SellerDesk") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : "Host=127.0.0.1;Port=5432;Database=sellerdesk;Username=sellerdesk;Password=sellerdesk;SSL Mode=Disable";

    public int QuietWaitSeconds { get; private init; } = 120;

    public bool SkipDiagnostics { get; private init; }

    public bool SkipExport { get; private init; }

    public double BuyersPerLine { get; private init; } = 0.2;

    public bool KeepFiles { get; private init; }

    public bool KeepDatabase { get; private init; }

    public bool Help { get; private init; }

    /// <summary>Only the Wildberries pull benchmark (<c>pull</c> sub-command).</summary>
    public bool Pull { get; private init; }

    /// <summary>Only the drill-down export step (<c>export</c> sub-command) over a ledger of <see cref="Lines"/> lines.</summary>
    public bool Export { get; private init; }

    public int PullLines { get; private init; } = 200_000;

    public int PullSmallLines { get; private init; } = 50_000;

    public int PullRuns { get; private init; } = 3;

    public int PullHugeLines { get; private init; } = 400_000;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--lines" => options with { Lines = Number(Value()) },
                "--small-lines" => options with { SmallLines = Number(Value()) },
                "--day-lines" => options with { DayLines = Number(Value()) },
                "--warm" => options with { WarmCalls = (int)Number(Value()) },
                "--import-runs" => options with { ImportRuns = (int)Number(Value()) },
                "--year" => options with { Year = (int)Number(Value()) },
                "--stats-lines" => options with { StatsLines = Number(Value()) },
                "--stats-timeout" => options with { StatsTimeoutSeconds = (int)Number(Value()) },
                "--connection" => options with { Connection = Value() },
                "--quiet-wait" => options with { QuietWaitSeconds = Value() == "0" ? 0 : (int)Number(args[i]) },
                "--skip-diagnostics" => options with { SkipDiagnostics = true },
                "--skip-export" => options with { SkipExport = true },
                "--buyers-per-line" => options with { BuyersPerLine = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--keep-files" => options with { KeepFiles = true },
                "--keep-database" => options with { KeepDatabase = true },
                "pull" when i == 0 => options with { Pull = true },
                "export" when i == 0 => options with { Export = true },
                "--pull-lines" => options with { PullLines = (int)Number(Value()) },
                "--pull-small" => options with { PullSmallLines = (int)Number(Value()) },
                "--pull-runs" => options with { PullRuns = (int)Number(Value()) },
                "--pull-huge" => options with { PullHugeLines = Value() == "0" ? 0 : (int)Number(args[i]) },
                "-h" or "--help" => options with { Help = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }

    private static long Number(string text) =>
        long.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"'{text}' is not a positive whole number.");
}
