// Crisis Alerts on Azure: a Flex Consumption function app (dotnet-isolated 10.0) with a user-assigned managed identity,
// a storage account without shared keys, Key Vault for secrets, Log Analytics and Application Insights.
// Deploy: az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json (see README "Deploy").
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(20)
@description('Name of the environment (dev, prod, ...): part of every resource name.')
param environmentName string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Sender address of every email (a verified sender in SendGrid).')
param emailFromAddress string

@description('Sender name.')
param emailFromName string = 'Crisis Alerts'

@allowed([
  'SendGrid'
  'Outbox'
])
@description('Email provider.')
param emailProvider string = 'SendGrid'

@description('SendGrid API base URL: https://api.eu.sendgrid.com for the EU region.')
param sendGridBaseUrl string = 'https://api.sendgrid.com'

@secure()
@description('The SendGrid API key (stored in Key Vault).')
param sendGridApiKey string

@secure()
@description('Base64 of at least 32 random bytes (openssl rand -base64 32) that sign confirmation and unsubscribe links (stored in Key Vault).')
param linkSigningKey string

@secure()
@description('The Telegram bot token (from BotFather) for Telegram channels, stored in Key Vault; empty: no Telegram.')
param telegramBotToken string = ''

@description('Public https address of the app for links in emails; empty means https://<app>.azurewebsites.net.')
param publicBaseUrl string = ''

@description('CRON schedule of PollFeeds.')
param pollSchedule string = '0 */5 * * * *'

@description('CRON schedule of SendDigests.')
param digestSchedule string = '0 */15 * * * *'

@description('CRON schedule of PruneStorage (retention).')
param pruneSchedule string = '0 30 3 * * *'

@minValue(0)
@maxValue(100)
@description('Immediate critical alerts per subscriber per hour.')
param maxImmediatePerHour int = 5

@description('App role admins need (with App Service Authentication on); empty means the function key alone.')
param adminRequiredRole string = ''

@description('Client id of the Entra ID app registration for admin sign-in; when set, App Service Authentication is turned on.')
param authClientId string = ''

@minValue(1)
@maxValue(1000)
@description('Most instances the function app may scale out to.')
param maximumInstanceCount int = 40

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
  application: 'crisis-alerts'
}
var appName = 'func-alerts-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-alerts-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-alerts-${resourceToken}'
    applicationInsightsName: 'appi-alerts-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'stalerts${resourceToken}'
    location: location
    deploymentContainerName: deploymentContainerName
    tags: tags
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv-alerts-${resourceToken}'
    location: location
    sendGridApiKey: sendGridApiKey
    signingKey: linkSigningKey
    telegramBotToken: telegramBotToken
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: vault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  dependsOn: [
    roles
  ]
  params: {
    name: appName
    planName: 'plan-alerts-${resourceToken}'
    location: location
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    enableAuthentication: !empty(authClientId)
    authClientId: authClientId
    maximumInstanceCount: maximumInstanceCount
    tags: tags
    // Every setting the code reads besides storage and telemetry; checked against the code by a test.
    appSettings: {
      PollSchedule: pollSchedule
      DigestSchedule: digestSchedule
      PruneSchedule: pruneSchedule
      Email__Provider: emailProvider
      Email__FromAddress: emailFromAddress
      Email__FromName: emailFromName
      Email__PublicBaseUrl: empty(publicBaseUrl) ? 'https://${appName}.azurewebsites.net' : publicBaseUrl
      Email__SigningKey: '@Microsoft.KeyVault(SecretUri=${vault.outputs.signingSecretUri})'
      Email__MaxImmediatePerHour: string(maxImmediatePerHour)
      SendGrid__ApiKey: '@Microsoft.KeyVault(SecretUri=${vault.outputs.sendGridSecretUri})'
      SendGrid__BaseUrl: sendGridBaseUrl
      Admin__RequiredRole: adminRequiredRole
      Fetcher__AllowLoopback: 'false'
      Channels__AllowLoopback: 'false'
      Channels__TelegramBotToken: empty(telegramBotToken) ? '' : '@Microsoft.KeyVault(SecretUri=${vault.outputs.telegramSecretUri})'
    }
  }
}

output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${app.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
