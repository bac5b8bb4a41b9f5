export {
  type AuthorizationHandlerOptions,
  type AuthorizationVerdict,
  createAuthorizationHandler,
} from './create-authorization-handler';
