using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connections;

/// <summary>One credential a marketplace needs (<c>token</c>); <see cref="Secret"/> ones are typed into password fields.</summary>
public sealed record CredentialField(string Key, bool Required, bool Secret);

/// <summary>What a connector is built for: the workspace's time zone, and where it reports notices of a run ("finance data unavailable").</summary>
public sealed record ConnectorContext(TimeZoneInfo Zone, Action<LocalText> Notice)
{
    public static ConnectorContext Default { get; } = new(TimeZoneInfo.Utc, _ => { });
}

/// <summary>A marketplace SellerDesk can pull from: its code, name, the credentials it needs and how to build its connector.</summary>
public sealed record MarketplaceDefinition(
    string Code, string DisplayName, IReadOnlyList<CredentialField> Credentials, Func<IServiceProvider, ConnectorContext, IMarketplaceConnector> Create)
{
    /// <summary>
    /// The account (cabinet) credentials identify, when they say (<see cref="AccountIdentity"/>): one account is
    /// connected once per workspace. Null: never compared.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>, string?>? Account { get; init; }

    /// <summary>
    /// The marketplace's own API hosts (a host or any host under it): the only hosts a connection's <c>base_url</c>
    /// may name unless the operator allows another (<c>MarketplaceHosts</c>). Empty for a marketplace without HTTP.
    /// </summary>
    public IReadOnlyList<string> ApiHosts { get; init; } = [];
}

/// <summary>The marketplaces connections can be made to, by code.</summary>
public sealed class MarketplaceCatalog
{
    private readonly Dictionary<string, MarketplaceDefinition> _byCode;
    private readonly IServiceProvider _services;

    public MarketplaceCatalog(IEnumerable<MarketplaceDefinition> definitions, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        _byCode = definitions.ToDictionary(d => d.Code, StringComparer.Ordinal);
        _services = services;
        All = [.. _byCode.Values.OrderBy(d => d.Code, StringComparer.Ordinal)];
    }

    public IReadOnlyList<MarketplaceDefinition> All { get; }

    public MarketplaceDefinition? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>A connector for <paramref name="code"/>; throws when the marketplace is unknown.</summary>
    public IMarketplaceConnector Connector(string code, ConnectorContext? context = null) =>
        Find(code)?.Create(_services, context ?? ConnectorContext.Default) ?? throw new InvalidOperationException($"No connector for marketplace '{code}'.");
}
