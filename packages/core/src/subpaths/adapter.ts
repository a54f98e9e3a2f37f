// @cognito-guard/core/adapter: what a framework adapter is built from. An adapter says how to
// read a request, let it through and answer a denial; `defineAdapter` describes it, and
// `bindGuard`, `envRules`, `envRoutes` and `envReady` give it everything else (option validation,
// the factories, the env-bound exports); `renderDenial` is the one denial rendering.

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
  varyFor,
  varyWith,
  withPrivateMarks,
} from '../adapter/adapter';
export type { Adapter, OffloadFromEnv, OwnOptions, ToHandler } from '../adapter/define-adapter';
export { bindGuard, defineAdapter } from '../adapter/define-adapter';
export { diagnoseOnce } from '../adapter/diagnose-once';
export { keepHeadersPrivate, readFetchRequest } from '../adapter/fetch';
export { defaultGuard, envReady, envRoutes, envRules } from '../adapter/from-env';
export type {
  AuthenticateOptions,
  BoundGuard,
  Evaluate,
  EvaluateFrom,
  GuardHandlers,
  RuleHandlers,
} from '../adapter/handlers';
export { bindHandlers, bindRules, routeHandler } from '../adapter/handlers';
export { isRequestLike, refuseMountedFactory } from '../adapter/mounted-factory';
export type { NodeRequestLike, NodeResponseLike } from '../adapter/node-http';
export {
  isNodeResponse,
  keepPrivate,
  readCaller,
  readIncoming,
  sendDenial,
} from '../adapter/node-http';
export type {
  ExpressMounted,
  ReceivedFrom,
  ReceivedTarget,
} from '../adapter/received-target';
export { expressMount, receivedTarget } from '../adapter/received-target';
export type { WriteHeadResponse } from '../adapter/vary-on-write-head';
export { keepVaryOnWriteHead } from '../adapter/vary-on-write-head';
export { envChoice } from '../config/env';
export type { Pending } from '../decision/decision';
export type { RuleGuard } from '../decision/rule-guard';
export { bodyReadings } from '../request/body-charset';
export { decodedBody } from '../request/body-encoding';
export { overrideFieldValues, rawBodyMethods } from '../request/override-fields';
export type { RawBodyFields } from '../request/raw-body-fields';
export { rawBodyFields } from '../request/raw-body-fields';
export type { SelectedRouteEvent } from '../request/selected-route';
export { selectedRouteKey } from '../request/selected-route';
export { isPromise } from '../shared/is-promise';
