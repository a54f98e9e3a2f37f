// The same app as a Lambda handler behind API Gateway (REST or HTTP API) or a Function URL,
// configured from the environment (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, …).

import { configFromEnv } from '@cognito-guard/core';
import { cognitoGuard } from '@cognito-guard/hono';
import { handle } from 'hono/aws-lambda';
import { createApp, type GuardStyle } from './app';

const style = (process.env['GUARD_STYLE'] ?? 'policy') as GuardStyle;

/** The Lambda entry point: `handler` in the function's configuration. */
export const handler = handle(createApp(cognitoGuard(configFromEnv(process.env)), style));
