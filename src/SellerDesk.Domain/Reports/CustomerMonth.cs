namespace SellerDesk.Domain.Reports;

/// <summary>
/// What the customer reports (4.1, 4.3 and 4.2's new customers) read: the orders up to as_of of the customers whose
/// first order is in range, summed per (marketplace, acquisition channel, cohort month, order month).
/// </summary>
/// <param name="Marketplace">The customers' marketplace.</param>
/// <param name="AcquisitionChannel">The channel of their first orders.</param>
/// <param name="Cohort">The month of their first orders.</param>
/// <param name="Month">The month of the orders summed here.</param>
/// <param name="NewCustomers">First orders among them.</param>
/// <param name="IdentifiedCustomers">Of the new customers, those with a real buyer id.</param>
/// <param name="AttributedCustomers">Of the new customers, those whose acquisition channel came from attribution.</param>
/// <param name="ActiveCustomers">Orders that are their customer's first in <paramref name="Month"/>.</param>
/// <param name="FirstOrderMargin">Contribution margin of the first orders among them.</param>
/// <param name="ContributionMargin">Contribution margin of all of them.</param>
/// <param name="NetRevenue">Net revenue of all of them.</param>
public sealed record CustomerMonth(
    string Marketplace,
    string AcquisitionChannel,
    YearMonth Cohort,
    YearMonth Month,
    int NewCustomers,
    int IdentifiedCustomers,
    int AttributedCustomers,
    int ActiveCustomers,
    decimal FirstOrderMargin,
    decimal ContributionMargin,
    decimal NetRevenue);
