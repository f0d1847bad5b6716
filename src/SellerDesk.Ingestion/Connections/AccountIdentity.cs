namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// Which marketplace account (cabinet) a connection's credentials identify, so one account is connected once per
/// workspace (decision 0010). Null when the credentials do not say; such a connection is not compared. A Wildberries
/// token's seller is read by <see cref="Connectors.Wildberries.WildberriesToken.AccountOf"/>, the one reader of its claims.
/// </summary>
public static class AccountIdentity
{
    /// <summary>The trimmed value of one credential (Ozon <c>client_id</c>, Yandex Market <c>campaign_id</c>).</summary>
    public static Func<IReadOnlyDictionary<string, string>, string?> Credential(string key) =>
        credentials => Connectors.Common.Credentials.Read(credentials, key);
}
