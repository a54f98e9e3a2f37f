// The movies API with OpenTelemetry on: the SDK's tracer provider prints each finished span to the
// console (ConsoleSpanExporter), then bob (shows-group) asks for /movies and is refused, so the
// denial's `cognito_guard.decision` span is printed with its attributes. Runs against the
// embedded test issuer: no AWS account needed.
//   pnpm --filter @cognito-guard/example-express-movies telemetry

import type { AddressInfo } from 'node:net';
import { openTelemetry } from '@cognito-guard/core/otel';
import { cognitoGuard } from '@cognito-guard/express';
import { createTestIssuer } from '@cognito-guard/testing';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createApp } from './app';

// Register the SDK before building the guard.
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] }),
);

const issuer = await createTestIssuer().start();
const guard = cognitoGuard({ ...issuer.config, telemetry: openTelemetry() });
const server = createApp(guard, 'policy').listen(0);
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

const bob = issuer.accessToken({ username: 'bob', groups: ['shows-group'] });
const res = await fetch(`http://127.0.0.1:${port}/movies`, {
  headers: { authorization: `Bearer ${bob}` },
});
console.log(`GET /movies as bob → ${res.status} (the span above says why)`);

server.close();
await issuer.stop();
