using SellerDesk.Ingestion.Connectors;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Contract;

/// <summary>
/// One marketplace's connector wired to its fake server over real HTTP, on a clock whose waits take no time, as the
/// connector contract suite (<see cref="ConnectorContractTests"/>) drives it. The fake holds a window of generated
/// data that spans several pages of every paged list.
/// </summary>
public interface IContractMarketplace : IAsyncDisposable
{
    IMarketplaceConnector Connector { get; }

    ConnectionSettings Connection { get; }

    PullWindow Window { get; }

    SkippingTimeProvider Time { get; }

    /// <summary>How many requests the fake has answered so far.</summary>
    int Requests { get; }

    /// <summary>The feed the marketplace pages through most (the one paging, throttling and failures hit).</summary>
    string MainFeed { get; }

    /// <summary>Answers the next <paramref name="requests"/> requests after the first <paramref name="after"/> with 429 (throttled).</summary>
    void Throttle(int requests, int after);

    /// <summary>Answers the next <paramref name="requests"/> requests after the first <paramref name="after"/> with <paramref name="status"/> (5xx).</summary>
    void Fail(int requests, int status, int after);

    /// <summary>Rejects the connection's credentials from now on (401).</summary>
    void Revoke();

    /// <summary>
    /// Restates the window as the marketplace does: one row of a feed the connector declares whole is dropped, another
    /// row's money changes. Returns both, by feed and source id.
    /// </summary>
    ContractRestatement Restate();

    /// <summary>Serves, besides the data, rows with missing fields and nulls as in the marketplace's own samples.</summary>
    void ServePartialRows();
}

/// <summary>What <see cref="IContractMarketplace.Restate"/> changed: the dropped row and the changed row.</summary>
public sealed record ContractRestatement(string DroppedFeed, string DroppedId, string ChangedFeed, string ChangedId);
