using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>
/// A connector wired to a fake Wildberries over real HTTP, on a clock whose waits take no time, with the run notices it
/// raises collected in <see cref="Notices"/>.
/// </summary>
internal sealed class WildberriesHarness : IAsyncDisposable
{
    private readonly HttpClient _http = new();
    private readonly Lock _lock = new();
    private readonly List<LocalText> _notices = [];
    private readonly List<FeedFailure> _failed = [];

    private WildberriesHarness(FakeWildberries fake, WildberriesOptions options)
    {
        Fake = fake;
        Sender = new ResilientHttpSender(_http, Time, new Random(42));
        Connector = new WildberriesConnector(Sender, options with { OnNotice = Notice });
        Connection = fake.Connection();
    }

    public static TimeZoneInfo Moscow { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public FakeWildberries Fake { get; }

    public SkippingTimeProvider Time { get; } = new();

    public ResilientHttpSender Sender { get; }

    public WildberriesConnector Connector { get; }

    public ConnectionSettings Connection { get; }

    /// <summary>The feeds the connector reported failed so far (<see cref="SourcePage.FailedFeeds"/>).</summary>
    public IReadOnlyList<FeedFailure> Failed
    {
        get { lock (_lock) { return [.. _failed]; } }
    }

    /// <summary>The notices the connector raised so far, with its failed feeds' texts (what the run would show).</summary>
    public IReadOnlyList<LocalText> Notices
    {
        get { lock (_lock) { return [.. _notices]; } }
    }

    public static async Task<WildberriesHarness> StartAsync(FakeWildberriesReport report, WildberriesOptions? options = null) =>
        new(await FakeWildberries.StartAsync(report), options ?? new WildberriesOptions());

    public async Task<List<SourcePage>> FetchPagesAsync(DateOnly from, DateOnly to, ConnectionSettings? connection = null)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in Connector.FetchAsync(connection ?? Connection, new PullWindow(from, to), CancellationToken.None))
        {
            pages.Add(page);
            foreach (var failed in page.FailedFeeds)
            {
                // The runner shows a failed feed's text as a run notice: so does the harness.
                Notice(failed.Text);
                lock (_lock)
                {
                    _failed.Add(failed);
                }
            }
        }

        return pages;
    }

    public async Task<List<SourceRow>> FetchAsync(DateOnly from, DateOnly to, ConnectionSettings? connection = null) =>
        [.. (await FetchPagesAsync(from, to, connection)).SelectMany(p => p.Rows)];

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Fake.DisposeAsync();
    }

    private void Notice(LocalText text)
    {
        lock (_lock)
        {
            _notices.Add(text);
        }
    }
}
