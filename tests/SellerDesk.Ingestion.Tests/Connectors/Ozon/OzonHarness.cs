using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>A connector wired to a fake Ozon over real HTTP, on a clock whose waits take no time.</summary>
internal sealed class OzonHarness : IAsyncDisposable
{
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private readonly HttpClient _http = new();

    private OzonHarness(FakeOzon fake, OzonOptions options)
    {
        Fake = fake;
        Connector = new OzonConnector(new ResilientHttpSender(_http, Time, new Random(42)), options with { OnNotice = Notices.Add });
        Connection = fake.Connection();
    }

    public FakeOzon Fake { get; }

    public SkippingTimeProvider Time { get; } = new();

    public OzonConnector Connector { get; }

    public ConnectionSettings Connection { get; }

    public List<LocalText> Notices { get; } = [];

    public static async Task<OzonHarness> StartAsync(FakeOzonData data, OzonOptions? options = null) =>
        new(await FakeOzon.StartAsync(data), options ?? new OzonOptions());

    public async Task<List<SourcePage>> FetchPagesAsync(DateOnly from, DateOnly to, ConnectionSettings? connection = null)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in Connector.FetchAsync(connection ?? Connection, new PullWindow(from, to), CancellationToken.None))
        {
            pages.Add(page);
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
}
