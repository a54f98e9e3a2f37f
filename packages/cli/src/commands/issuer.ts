// `issuer serve` and `mint`: local development with no AWS account. `serve` runs the embedded
// test issuer on loopback and leaves its signing key in a state file (mode 0600); `mint`, in
// another process, signs tokens with that key, so the served JWKS verifies them.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createTestIssuer, type ExportedSigningKey } from '@cognito-guard/testing';
import { CliError, EXIT } from '../exit-codes';
import { type Io, printJson } from '../io';

/** Where `issuer serve` leaves its key for `mint`, unless `--state` says otherwise. */
export const DEFAULT_STATE_FILE = '.cognito-guard/issuer.json';

interface IssuerState {
  readonly port: number;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly signingKey: ExportedSigningKey;
}

/**
 * Serves the test issuer until interrupted, printing the environment the guards need.
 *
 * @example
 * ```ts
 * await issuerServeCommand({ port: 9229 }, io, stopSignal);
 * ```
 */
export async function issuerServeCommand(
  options: {
    readonly port?: number;
    readonly state?: string;
    readonly userPoolId?: string;
    readonly clientId?: string;
    readonly json?: boolean;
  },
  io: Io,
  until: Promise<unknown>,
): Promise<number> {
  const issuer = createTestIssuer({
    port: options.port ?? 0,
    userPoolId: options.userPoolId ?? 'local_cognitoGuard',
    clientId: options.clientId ?? 'local-client',
  });
  try {
    await issuer.start();
  } catch (err) {
    throw new CliError(
      `cannot listen on port ${options.port}: ${(err as Error).message}`,
      EXIT.unavailable,
    );
  }
  const statePath = resolve(options.state ?? DEFAULT_STATE_FILE);
  const state: IssuerState = {
    port: Number(new URL(issuer.issuer).port),
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    signingKey: issuer.signingKey,
  };
  mkdirSync(dirname(statePath), { recursive: true });
  writeFileSync(statePath, JSON.stringify(state), { mode: 0o600 });
  const env = { ...issuer.env, COGNITO_TOKEN_USE: 'any' };
  if (options.json) printJson(io, { env, stateFile: statePath });
  else {
    io.out('# cognito-guard test issuer: export these, then mint tokens in another terminal');
    for (const [name, value] of Object.entries(env)) io.out(`export ${name}=${value}`);
    io.out(`# cognito-guard mint --groups movies-group   (key in ${statePath}; Ctrl-C stops)`);
  }
  try {
    await until;
  } finally {
    await issuer.stop();
    rmSync(statePath, { force: true });
  }
  return EXIT.ok;
}

/** Options of {@link mintCommand}. */
export interface MintOptions {
  readonly groups?: readonly string[];
  readonly scopes?: readonly string[];
  readonly tokenUse?: string;
  readonly expiresIn?: number;
  readonly username?: string;
  readonly state?: string;
  readonly json?: boolean;
}

/**
 * Mints a token against a running `issuer serve`.
 *
 * @example
 * ```ts
 * await mintCommand({ groups: ['movies-group'], expiresIn: 600 }, io);
 * ```
 */
export async function mintCommand(options: MintOptions, io: Io): Promise<number> {
  const statePath = resolve(options.state ?? DEFAULT_STATE_FILE);
  let state: IssuerState;
  try {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as IssuerState;
  } catch {
    throw new CliError(
      `no running issuer (${statePath}): start \`cognito-guard issuer serve\` first`,
      EXIT.usage,
    );
  }
  const tokenUse = options.tokenUse ?? 'access';
  if (tokenUse !== 'access' && tokenUse !== 'id') {
    throw new CliError(`--token-use must be "access" or "id", got "${tokenUse}"`, EXIT.usage);
  }
  const issuer = createTestIssuer({
    port: state.port,
    userPoolId: state.userPoolId,
    clientId: state.clientId,
    signingKey: state.signingKey,
  });
  const claims = {
    groups: [...(options.groups ?? [])],
    scopes: [...(options.scopes ?? [])],
    expiresIn: options.expiresIn ?? 3600,
    ...(options.username ? { username: options.username } : {}),
  };
  const token = tokenUse === 'id' ? issuer.idToken(claims) : issuer.accessToken(claims);
  if (options.json) printJson(io, { token, tokenUse, issuer: issuer.issuer, ...claims });
  else io.out(token);
  return EXIT.ok;
}
