// The README examples compile: every ```ts block of the root README and of each package's README
// is type-checked against the packages' sources and the real framework types, with only the names
// it leaves to the reader (an `app`, a `policy`, a pool id) declared beside it. A renamed export,
// a changed option or a handler signature the types no longer accept fails here, not in a user's
// editor after a copy-paste.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRoutePolicy } from '@cognito-guard/core';
import ts from 'typescript';
import {
  exampleCompilerOptions,
  fileByFile,
  packageNames,
  repositoryRoot as root,
} from './compile-examples';

// Snippets are compiled as if they were files here, so that imports resolve as in this package.
const snippetDir = join(__dirname, 'readme-snippets');

const COMMON = `
import type { RoutePolicy } from '@cognito-guard/core';
declare const policy: RoutePolicy;
declare const userPoolId: string;
declare const clientId: string;
`;
const EXPRESS_APP = `
import express from 'express';
const app = express();
declare const handler: express.RequestHandler;
`;

/**
 * What each snippet leaves to the reader, by the snippet's file and first line. Every snippet
 * needs an entry (an empty one when it stands alone), so a new example is never left unchecked.
 */
const CONTEXT: Record<string, string | { readonly skip: string }> = {
  "README.md: app.use(requireGroups('movies-group')); // Express": {
    skip: "Express's and Koa's requireGroups side by side; each line is in its package's README",
  },
  "README.md: import { requireGroups, guardRoutes, ready, cognitoGuard } from '@cognito-guard/express';": `${COMMON}${EXPRESS_APP}`,
  "README.md: import Router from '@koa/router';": `
import Koa from 'koa';
const app = new Koa();
`,
  "README.md: import { authPlugin, requireGroups, cognitoGuard } from '@cognito-guard/fastify';": `${COMMON}
import Fastify from 'fastify';
const app = Fastify();
`,
  "README.md: import { Hono } from 'hono';": '',
  "README.md: import { requireGroups, ready, cognitoGuard, createAuthorizer } from '@cognito-guard/lambda';": `${COMMON}
import middy from '@middy/core';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Principal } from '@cognito-guard/core';
import { awslambda } from '@cognito-guard/testing'; // typed as the runtime's global
declare function showsHandler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2>;
declare function moviesFor(auth: Principal): Readable;
`,
  'README.md: requireClaim(\'/tenant/id\', \'acme\'); // { "tenant": { "id": "acme" } }': `
import { requireClaim } from '@cognito-guard/express';
`,
  'README.md: issuer.accessToken({': `
import { createTestIssuer } from '@cognito-guard/testing';
const issuer = await createTestIssuer().start();
`,
  "README.md: import { albUserClaims } from '@cognito-guard/core/alb';": `${COMMON}${EXPRESS_APP}
import { cognitoGuard } from '@cognito-guard/express';
`,
  'README.md: const POOL_ISSUER = /^https:\\/\\/cognito-idp\\.eu-west-1\\.amazonaws\\.com\\/(eu-west-1_[A-Za-z0-9]+)$/;': `${EXPRESS_APP}
import { cognitoGuard } from '@cognito-guard/express';
declare const tenants: { byPoolId: Map<string, { poolId: string; clientId: string }> };
`,
  "README.md: import { verifyInWorkers } from '@cognito-guard/core/offload';": `${COMMON}${EXPRESS_APP}`,
  "README.md: import { openTelemetry } from '@cognito-guard/core/otel';": `${COMMON}${EXPRESS_APP}
import { configFromEnv } from '@cognito-guard/core';
import { cognitoGuard } from '@cognito-guard/express';
`,
  "README.md: import { cognitoGuard, createUpgradeGuard } from '@cognito-guard/express';": `${COMMON}
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { Server } from 'socket.io';
const server = createServer();
const wss = new WebSocketServer({ noServer: true });
declare function done(ws: import('ws').WebSocket): void;
`,
  "README.md: import { configFromEnv } from '@cognito-guard/core';": EXPRESS_APP,
  "README.md: import { createTestIssuer } from '@cognito-guard/testing';": `
import type { Server } from 'node:http';
import { cognitoGuard } from '@cognito-guard/express';
import {
  albEvent, attackBattery, awslambda, createAlbSigner, expectedMovieStatus, functionUrlEvent,
  httpApiEvent, httpAuthorizerEvent, invokeStreaming, lambdaContext, latticeEvent, MOVIE_USERS,
  requestAuthorizerEvent, restProxyEvent, sendRaw, startAwsEndpoints, tokenAuthorizerEvent,
  tokenKindCases, type JwtPayload,
} from '@cognito-guard/testing';
declare const payload: JwtPayload;
declare const server: Server;
declare function handler(event: unknown, stream: NodeJS.WritableStream): Promise<void>;
declare const a: string;
declare const b: string;
declare const sub: string;
`,
  "packages/apigateway/README.md: import { diffHttpApi, exportHttpApi } from '@cognito-guard/apigateway';": `${COMMON}
import type { OpenApiDocument } from '@cognito-guard/apigateway';
declare const authorizerUri: string;
declare const exportedFromApiGateway: OpenApiDocument;
`,
  "packages/apigateway/README.md: import { lambdaAuthorizerUris } from '@cognito-guard/apigateway';": `
import type { OpenApiDocument } from '@cognito-guard/apigateway';
declare const exportedFromApiGateway: OpenApiDocument;
`,
  "packages/core/README.md: import { createGuard, requireGroups } from '@cognito-guard/core';": `
declare const token: string;
`,
  "packages/express/README.md: import { requireGroups, guardRoutes } from '@cognito-guard/express';": `${COMMON}${EXPRESS_APP}`,
  "packages/fastify/README.md: import { authPlugin, requireGroups } from '@cognito-guard/fastify';": `
import Fastify from 'fastify';
const app = Fastify();
`,
  "packages/hono/README.md: import { requireGroups, guardRoutes } from '@cognito-guard/hono';": `${COMMON}
import { Hono } from 'hono';
const app = new Hono();
`,
  "packages/koa/README.md: import { requireGroups } from '@cognito-guard/koa';": `
import Router, { type RouterMiddleware } from '@koa/router';
const router = new Router();
declare const listShows: RouterMiddleware;
`,
  "packages/lambda/README.md: import { createAuthorizer, ready, requireGroups } from '@cognito-guard/lambda';":
    COMMON,
  "packages/redis/README.md: import { cognitoGuard } from '@cognito-guard/express';": `${COMMON}${EXPRESS_APP}
declare const sub: string;
`,
  "packages/testing/README.md: import { createTestIssuer, httpApiEvent } from '@cognito-guard/testing';":
    '',
};

interface Snippet {
  readonly key: string;
  /** Where it is, for a failure's message: `README.md:67`. */
  readonly at: string;
  readonly code: string;
}

function snippetsOf(file: string, fence = '```ts'): Snippet[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  for (let start = 0; start < lines.length; start++) {
    if (lines[start] !== fence) continue;
    const end = lines.indexOf('```', start + 1);
    const body = lines.slice(start + 1, end);
    snippets.push({
      key: `${file}: ${body[0]}`,
      at: `${file}:${start + 2}`,
      code: body.join('\n'),
    });
    start = end;
  }
  return snippets;
}

const readmes = ['README.md', ...packageNames.map((name) => `packages/${name}/README.md`)].filter(
  (file) => existsSync(join(root, file)),
);
const snippets = readmes.flatMap((file) => snippetsOf(file));

describe('the README policy examples', () => {
  const policies = readmes.flatMap((file) => snippetsOf(file, '```json'));

  it.each(policies.map((policy) => [policy.at, policy] as const))(
    '%s is a route policy the guards accept',
    (_at, policy) => {
      const json = JSON.parse(policy.code);
      expect(compileRoutePolicy(json).routeKeys).toEqual(Object.keys(json.routes));
    },
  );
});

describe('the README examples', () => {
  const files = new Map<string, string>();
  for (const [index, snippet] of snippets.entries()) {
    const context = CONTEXT[snippet.key];
    if (context === undefined || typeof context !== 'string') continue;
    files.set(join(snippetDir, `snippet-${index}.ts`), `${context}\n${snippet.code}\nexport {};\n`);
  }
  // Each snippet alone: in one program, the Koa README's route compiled and failed alone, and
  // passed or failed with the order the tests ran in.
  const compileAlone = fileByFile();

  it('each has its context here, and each context a snippet', () => {
    const keys = new Set(snippets.map((snippet) => snippet.key));
    expect(snippets.filter((snippet) => !(snippet.key in CONTEXT)).map((s) => s.at)).toEqual([]);
    expect(Object.keys(CONTEXT).filter((key) => !keys.has(key))).toEqual([]);
    expect(snippets.length).toBeGreaterThanOrEqual(20);
  });

  it.each(snippets.map((snippet, index) => [snippet.at, index] as const))(
    '%s compiles',
    (_at, index) => {
      const file = join(snippetDir, `snippet-${index}.ts`);
      const context = CONTEXT[snippets[index]?.key ?? ''] ?? '';
      if (typeof context === 'object') return expect(context.skip).not.toBe('');
      const program = compileAlone(file, files.get(file) ?? '', exampleCompilerOptions());
      const source = program.getSourceFile(file) as ts.SourceFile;
      // Named by the README's own line: the context takes the file's first lines.
      const contextLines = context.split('\n').length;
      const firstLine = Number(snippets[index]?.at.split(':')[1]);
      const errors = [
        ...program.getSyntacticDiagnostics(source),
        ...program.getSemanticDiagnostics(source),
      ].map((diagnostic) => {
        const line = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
        const where = line < contextLines ? 'context' : `line ${firstLine + line - contextLines}`;
        return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      });
      expect(errors).toEqual([]);
    },
  );
});
