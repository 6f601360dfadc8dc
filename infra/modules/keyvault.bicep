// Key Vault (RBAC) holding the SendGrid API key, the link-signing key and the Telegram bot token; app settings reference them.
@description('Name of the vault (3-24 characters).')
param name string

@description('Azure region.')
param location string

@secure()
@description('The SendGrid API key.')
param sendGridApiKey string

@secure()
@description('Base64 of at least 32 random bytes that sign confirmation and unsubscribe links.')
param signingKey string

@secure()
@description('The Telegram bot token for Telegram channels; empty: no Telegram.')
param telegramBotToken string = ''

param tags object = {}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource sendGridSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'sendgrid-api-key'
  properties: {
    value: sendGridApiKey
  }
}

resource signingSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'link-signing-key'
  properties: {
    value: signingKey
  }
}

resource telegramSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(telegramBotToken)) {
  parent: vault
  name: 'telegram-bot-token'
  properties: {
    value: telegramBotToken
  }
}

output name string = vault.name
output id string = vault.id
output sendGridSecretUri string = sendGridSecret.properties.secretUri
output signingSecretUri string = signingSecret.properties.secretUri
output telegramSecretUri string = telegramSecret.?properties.secretUri ?? ''
