// @cognito-guard/core/adapter: what a framework adapter is built from. An adapter says how to
// read a request, let it through and answer a denial; `defineAdapter` gives it everything else
// (option validation, the factories, the env-bound exports, the one denial rendering).

export type {
  AdapterOptions,
  DenialResponse,
  ErrorMode,
  ResolvedAdapterOptions,
} from '../adapter/adapter';
export {
  DEFAULT_ADAPTER_OPTIONS,
  DENIAL_CONTENT_TYPE,
  needsPrivateCache,
  renderDenial,
  splitAdapterOptions,
  varyWith,
} from '../adapter/adapter';
export type {
  AdapterExports,
  AuthenticateOptions,
  BoundGuard,
  Evaluate,
  EvaluateFrom,
  GuardHandlers,
  OwnOptions,
  ToHandler,
} from '../adapter/handlers';
export { bindHandlers, defaultGuard, defineAdapter } from '../adapter/handlers';
export { envChoice } from '../config/env';
