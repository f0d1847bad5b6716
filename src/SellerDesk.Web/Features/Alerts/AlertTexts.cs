using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>Words of the messages that leave the app (mail subjects, Telegram, the digest), in both languages.</summary>
internal static class AlertTexts
{
    public static LocalText KindTitle(string kind) => kind switch
    {
        AlertKinds.ChannelCut => new("a channel turned to cut", "канал перешёл в «сократить»"),
        AlertKinds.ReturnLossRise => new("return-loss share rose", "выросла доля потерь на возвратах"),
        AlertKinds.FeeRateRise => new("fee rate rose", "выросла доля комиссий"),
        AlertKinds.MissingCost => new("a SKU sells without unit cost", "SKU продаётся без себестоимости"),
        AlertKinds.PullProblem => new("a pull fails or needs a new token", "загрузка не проходит или нужен новый токен"),
        AlertKinds.Reconciliation => new("a reconciliation differs", "сверка не сходится"),
        AlertKinds.ProfitFloor => new("yesterday's profit below the floor", "вчерашняя прибыль ниже порога"),
        _ => new(kind, kind),
    };
}
