/** Intuit's production and sandbox API hosts and the OAuth2 token endpoint. */
export const QBO_PRODUCTION = 'https://quickbooks.api.intuit.com';
export const QBO_SANDBOX = 'https://sandbox-quickbooks.api.intuit.com';
export const INTUIT_TOKEN_URL = 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer';
