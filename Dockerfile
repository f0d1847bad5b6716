# syntax=docker/dockerfile:1
# SellerDesk web app. Used by docker-compose.yml; the project's own scripts never need Docker.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first so the package layer is cached until a project file changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/SellerDesk.Domain/SellerDesk.Domain.csproj src/SellerDesk.Domain/
COPY src/SellerDesk.Data/SellerDesk.Data.csproj src/SellerDesk.Data/
COPY src/SellerDesk.Ingestion/SellerDesk.Ingestion.csproj src/SellerDesk.Ingestion/
COPY src/SellerDesk.Web/SellerDesk.Web.csproj src/SellerDesk.Web/
RUN dotnet restore src/SellerDesk.Web/SellerDesk.Web.csproj
COPY src/ src/
RUN dotnet publish src/SellerDesk.Web -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://0.0.0.0:5080
EXPOSE 5080
# Non-root user shipped with the official .NET images.
USER $APP_UID
ENTRYPOINT ["dotnet", "SellerDesk.Web.dll"]
