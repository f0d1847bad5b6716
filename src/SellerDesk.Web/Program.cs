using SellerDesk.Web.Api;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Components;
using SellerDesk.Web.Features.Alerts;
using SellerDesk.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddSellerDeskLogging();
builder.AddSellerDeskHardening();
builder.AddSellerDeskDatabase();
builder.Services.AddSellerDeskAuth();
builder.Services.AddSellerDeskApi();
builder.Services.AddSellerDeskUi();
builder.AddSellerDeskAlerts();

var app = builder.Build();

app.UseSellerDeskRequestLogging();
app.UseSellerDeskErrorHandling();
app.UseSellerDeskAuth();
app.UseSellerDeskHardening();
app.MapSellerDeskHealth();
app.MapSellerDeskApi();
app.MapSellerDeskAccounts();
app.MapSellerDeskJobsDashboard();
app.MapSellerDeskUi();

app.Run();

/// <summary>Entry point, public so integration tests can host the app.</summary>
public partial class Program;
