export {
  API_KEY_RESOURCES,
  type ApiKeyResource,
  METHOD_PERMISSIONS,
  type SdkMethodName,
} from '../generated/permissions';
export { ApiKeyBuilder, apiKey } from './api-key-builder';
export { ApprovalPolicyBuilder, type ApprovalRuleOptions, approvalPolicy } from './approval-policy-builder';
