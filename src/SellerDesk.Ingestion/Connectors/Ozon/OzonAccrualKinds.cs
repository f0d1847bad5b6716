namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>Where the money of an Ozon accrual type goes in the ledger.</summary>
public enum OzonAccrualKind
{
    /// <summary>Ozon's fee for the sale (<c>SaleCommission</c>); on a returned unit, its refund.</summary>
    Commission,

    /// <summary>Delivery towards the buyer: trunk, last mile, drop-off, pick-up, packing.</summary>
    Logistics,

    /// <summary>The way back: reverse trunk, returns and cancellations processed.</summary>
    ReturnLogistics,

    /// <summary>Payment acceptance.</summary>
    Acquiring,

    /// <summary>Placement of goods in Ozon's warehouses.</summary>
    Storage,

    /// <summary>Acceptance and processing of supplies.</summary>
    Acceptance,

    /// <summary>Fines: defect rate, prohibited or counterfeit goods, complaints, shipment delays.</summary>
    Penalty,

    /// <summary>Advertising and promotion: pay per click, promotion, stencils, paid reviews, premium cashback.</summary>
    Promotion,

    /// <summary>Everything else: subscriptions, installments, compensations, corrections, services.</summary>
    Other,
}

/// <summary>
/// Sorts Ozon's accrual types (<c>/v1/finance/accrual/types</c>: <c>{id, name, description}</c>) into ledger kinds by
/// their <b>name</b>, never by id: the names below are the catalogue as public clients copy it (119 types, checked
/// 2026-12-04). A name not in this table (a type Ozon adds later) is <see cref="OzonAccrualKind.Other"/>, and the pull
/// says so in a notice naming it (docs/connectors/ozon.md, "Accrual types").
/// </summary>
public static class OzonAccrualKinds
{
    private static readonly Dictionary<string, OzonAccrualKind> ByName = Build();

    /// <summary>The period-fee kind (<c>PeriodFee.Kind</c>) of money of <paramref name="kind"/> that no posting carries.</summary>
    public static string PeriodKind(OzonAccrualKind kind) => kind switch
    {
        OzonAccrualKind.Commission => OzonMapper.CommissionKind,
        OzonAccrualKind.Logistics or OzonAccrualKind.ReturnLogistics => OzonMapper.LogisticsKind,
        OzonAccrualKind.Acquiring => OzonMapper.AcquiringKind,
        OzonAccrualKind.Storage => OzonMapper.StorageKind,
        OzonAccrualKind.Acceptance => OzonMapper.AcceptanceKind,
        OzonAccrualKind.Penalty => OzonMapper.PenaltyKind,
        OzonAccrualKind.Promotion => OzonMapper.PromotionKind,
        _ => OzonMapper.OtherKind,
    };

    /// <summary>The kind of a catalogue type name, or null when SellerDesk does not know the name.</summary>
    public static OzonAccrualKind? OfName(string? name) =>
        name is not null && ByName.TryGetValue(name.Trim(), out var kind) ? kind : null;

    /// <summary>
    /// The kind of an accrual's <c>type_id</c> through the catalogue <paramref name="types"/>: a known name gives its
    /// kind; an id the catalogue lacks, or a name SellerDesk does not know, is <see cref="OzonAccrualKind.Other"/>.
    /// </summary>
    internal static OzonAccrualKind Of(long? typeId, IReadOnlyDictionary<long, OzonAccrualType> types) =>
        typeId is { } id && types.TryGetValue(id, out var type) ? OfName(type.Name) ?? OzonAccrualKind.Other : OzonAccrualKind.Other;

    /// <summary>Whether <paramref name="typeId"/> names a catalogue type whose name SellerDesk knows.</summary>
    internal static bool IsKnown(long? typeId, IReadOnlyDictionary<long, OzonAccrualType> types) =>
        typeId is { } id && types.TryGetValue(id, out var type) && OfName(type.Name) is not null;

    private static Dictionary<string, OzonAccrualKind> Build()
    {
        var table = new Dictionary<string, OzonAccrualKind>(StringComparer.OrdinalIgnoreCase);
        void Add(OzonAccrualKind kind, params string[] names)
        {
            foreach (var name in names)
            {
                table.Add(name, kind);
            }
        }

        Add(OzonAccrualKind.Commission, "SaleCommission", "RfbsDomesticAgentFee", "RfbsGlobalAgentFee");
        Add(OzonAccrualKind.Acquiring, "Acquiring");
        Add(
            OzonAccrualKind.Logistics,
            "Logistic", "LastMile", "LastMileCourier", "LastMilePickUpPoint", "Shipment", "Fulfillment", "Drop-Off", "Drop-Off Agent",
            "Pick-Up", "PickUpCourierArrangement", "PickUpCourierDelivery", "CrossDockPickUpCourierDelivery", "DeliveryToHandoverPlaceByOzon",
            "PackageCost", "PackingFee", "ItemPacking", "QuantProcessingDrop", "RfbsDomesticDelivery", "RfbsGlobalDelivery",
            "RfbsClientDeliveryCharge", "InternationalLogisticDelta", "OzonGlobalLogisticsDelivery", "ClickAndCollect", "B2CLogistics",
            "B2C Drop-Off", "B2C Drop-Off Agent", "B2CContainerPacking", "B2CContainerPackage", "B2CCourierClientReinvoice",
            "B2CDeliveryToHandoverPlaceByOzon", "B2CPickUpPointClientReinvoice");
        Add(
            OzonAccrualKind.ReturnLogistics,
            "ReturnFlowLogistic", "BackwardShipment", "PickUpPointReturnAcceptance", "ClientReturn", "Cancellation", "PartialReturn",
            "PreparingToReturn", "RfbsEasyReturn", "B2CPickUpPointReturnAcceptance", "B2CBackwardLogistics");
        Add(
            OzonAccrualKind.Storage,
            "Placements", "TemporaryPlacement", "TemporaryPlacementsAgent", "ReturnStorageInTheWarehouse", "B2CTemporaryPlacement");
        Add(
            OzonAccrualKind.Acceptance,
            "SupplyInbound", "CrossDock", "PackageUnitProcessing", "VolumeWeightCharacteristicsProcessing", "OversizedExtraHandling");
        Add(
            OzonAccrualKind.Penalty,
            "DefectRate", "DefectFineModeration", "DefectFineProhibitedGoods", "DefectFineCounterfeitGoods", "DefectFineComplaint",
            "DefectFineErrors", "DefectFineShipmentDelayRate");
        Add(
            OzonAccrualKind.Promotion,
            "PayPerClick", "Promotion", "Stencil", "Marketing", "PremiumCashbackPromotion", "PremiumCashbackIndividualPoints",
            "PremiumMailingCommission", "BrandCommission", "BrandPromotion", "BrandShelf", "ExternalPromotion", "InternetSiteAdvertising",
            "SocialMediaAdvertising", "PushCampaign", "PointsForReviews", "SaleReview", "ReviewsPin", "AcceleratedReviewCollection",
            "FirstCustomerReview", "CustomerChatPoints", "StarsMembership", "OrdersBooking", "LeadGeneration");
        Add(
            OzonAccrualKind.Other,
            "Installment", "KazakhstanBuyerInstallment", "EarlyPayment", "FlexiblePayments", "PremiumMembership", "PremiumSubscription",
            "CustomerReviews", "Marking", "Moderation", "OzonData", "ItemCloning", "Charity", "Compensation", "ItemCompensation",
            "ClaimCommission", "CorrectionCommission", "RealizationReportCorrection", "SetOff", "StockInsurance", "Disposal",
            "SellerReturns", "Replenishment", "VideoCover", "VolumeObligationReward", "BrandDeposit", "ItemSealing", "PackmanCisPacking",
            "IncreaseAssortmentLimit", "LabelOriginal", "LabelBrandVerified", "RfbsServiceFee", "B2CDisposal", "B2CInsuranceCompensation",
            "B2CInsuranceShipping");
        return table;
    }
}
