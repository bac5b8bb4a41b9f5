/**
 * Public model types, derived from the generated OpenAPI types (`src/generated/openapi.ts`,
 * produced from openapi/openissuing.yaml by `npm run generate`).
 */
import type { components } from './generated/openapi';

type Schemas = components['schemas'];

export type Cardholder = Schemas['Cardholder'];
export type CardholderCreateParams = Schemas['CardholderCreateParams'];
export type CardholderUpdateParams = Schemas['CardholderUpdateParams'];
export type Card = Schemas['Card'];
export type CardCreateParams = Schemas['CardCreateParams'];
export type CardUpdateParams = Schemas['CardUpdateParams'];
export type CardCancelParams = Schemas['CardCancelParams'];
export type CardDetails = Schemas['CardDetails'];
export type SpendingCategoryList = Schemas['SpendingCategoryList'];
export type SpendingCategoryDefinition = Schemas['SpendingCategoryDefinition'];
export type SpendingControls = Schemas['SpendingControls'];
export type SpendingLimit = Schemas['SpendingLimit'];
export type SpendingLimitInterval = Schemas['SpendingLimitInterval'];
export type Velocity = Schemas['Velocity'];
export type MerchantData = Schemas['MerchantData'];
export type Authorization = Schemas['Authorization'];
export type AuthorizationDecision = Schemas['AuthorizationDecision'];
export type AuthorizationDecisionReason = Schemas['AuthorizationDecisionReason'];
export type Transaction = Schemas['Transaction'];
export type Balance = Schemas['Balance'];
export type LedgerEntry = Schemas['LedgerEntry'];
export type Topup = Schemas['Topup'];
export type TopupCreateParams = Schemas['TopupCreateParams'];
export type Budget = Schemas['Budget'];
export type BudgetCreateParams = Schemas['BudgetCreateParams'];
export type BudgetUpdateParams = Schemas['BudgetUpdateParams'];
export type BudgetLimit = Schemas['BudgetLimit'];
export type BudgetLimitUsage = Schemas['BudgetLimitUsage'];
export type BudgetInterval = Schemas['BudgetInterval'];
export type BudgetSelector = Schemas['BudgetSelector'];
export type SpendReport = Schemas['SpendReport'];
export type SpendReportRow = Schemas['SpendReportRow'];
export type SpendReportGroupBy = Schemas['SpendReportGroupBy'];
export type SpendReportInterval = Schemas['SpendReportInterval'];
export type BudgetCreatedEvent = Schemas['BudgetCreatedEvent'];
export type BudgetUpdatedEvent = Schemas['BudgetUpdatedEvent'];
export type BudgetThresholdReachedEvent = Schemas['BudgetThresholdReachedEvent'];
export type BudgetExceededEvent = Schemas['BudgetExceededEvent'];
export type Program = Schemas['Program'];
export type ProgramUpdateParams = Schemas['ProgramUpdateParams'];
export type WebhookEvent = Schemas['WebhookEvent'];
export type EventType = Schemas['EventType'];
export type CardholderCreatedEvent = Schemas['CardholderCreatedEvent'];
export type CardholderUpdatedEvent = Schemas['CardholderUpdatedEvent'];
export type CardCreatedEvent = Schemas['CardCreatedEvent'];
export type CardUpdatedEvent = Schemas['CardUpdatedEvent'];
export type AuthorizationRequestEvent = Schemas['AuthorizationRequestEvent'];
export type AuthorizationCreatedEvent = Schemas['AuthorizationCreatedEvent'];
export type AuthorizationUpdatedEvent = Schemas['AuthorizationUpdatedEvent'];
export type TransactionCreatedEvent = Schemas['TransactionCreatedEvent'];
export type TopupCreatedEvent = Schemas['TopupCreatedEvent'];
export type BalanceUpdatedEvent = Schemas['BalanceUpdatedEvent'];
export type AuthorizationRequestResponse = Schemas['AuthorizationRequestResponse'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookEndpointCreateParams = Schemas['WebhookEndpointCreateParams'];
export type WebhookEndpointUpdateParams = Schemas['WebhookEndpointUpdateParams'];
export type WebhookEndpointRotateSecretParams = Schemas['WebhookEndpointRotateSecretParams'];
export type DeletedWebhookEndpoint = Schemas['DeletedWebhookEndpoint'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type EphemeralKey = Schemas['EphemeralKey'];
export type EphemeralKeyCreateParams = Schemas['EphemeralKeyCreateParams'];
export type DeletedEphemeralKey = Schemas['DeletedEphemeralKey'];
export type TestAuthorizationCreateParams = Schemas['TestAuthorizationCreateParams'];
export type TestAuthorizationCaptureParams = Schemas['TestAuthorizationCaptureParams'];
export type TestAuthorizationReverseParams = Schemas['TestAuthorizationReverseParams'];
export type TestTransactionRefundParams = Schemas['TestTransactionRefundParams'];
export type Metadata = Schemas['Metadata'];
export type Dimensions = Schemas['Dimensions'];
export type ProblemCode = Schemas['ProblemCode'];

/** Any event the API records and delivers; narrow it with `event.type`. */
export type Event = WebhookEvent;

/** The event of one type, e.g. `EventOf<'card.created'>`. */
export type EventOf<T extends WebhookEvent['type']> = Extract<WebhookEvent, { type: T }>;

// Card requests and approvals; restricted API keys.
export type CardRequest = Schemas['CardRequest'];
export type CardRequestCreateParams = Schemas['CardRequestCreateParams'];
export type CardRequestDecisionParams = Schemas['CardRequestDecisionParams'];
export type CardRequestRejectParams = Schemas['CardRequestRejectParams'];
export type CardRequestApproval = Schemas['CardRequestApproval'];
export type CardRequestHistoryEntry = Schemas['CardRequestHistoryEntry'];
export type CardRequestPolicy = Schemas['CardRequestPolicy'];
export type ApprovalRule = Schemas['ApprovalRule'];
export type ApprovalStep = Schemas['ApprovalStep'];
export type CardRequestCreatedEvent = Schemas['CardRequestCreatedEvent'];
export type CardRequestUpdatedEvent = Schemas['CardRequestUpdatedEvent'];
export type CardRequestApprovedEvent = Schemas['CardRequestApprovedEvent'];
export type CardRequestRejectedEvent = Schemas['CardRequestRejectedEvent'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyCreateParams = Schemas['ApiKeyCreateParams'];
export type ApiKeyPermission = Schemas['ApiKeyPermission'];
