// startOnFreePort against real servers on loopback: a port taken between being found and being
// bound is the race it exists for, so the tests hand it one.

import { createServer, type Server } from 'node:net';
import { freeLoopbackPort, startOnFreePort, startRedisCluster, startRedisServer } from '../src';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
const close = (server: Server) => new Promise((resolve) => server.close(resolve));
const inUse = (err: unknown) => (err as NodeJS.ErrnoException).code === 'EADDRINUSE';

let taken: Server;
let takenPort: number;
beforeAll(async () => {
  taken = await listen(0);
  takenPort = (taken.address() as { port: number }).port;
});
afterAll(() => close(taken));

describe('freeLoopbackPort', () => {
  it('answers a port a server can then bind', async () => {
    const port = await freeLoopbackPort();
    expect(port).toBeGreaterThan(0);
    await close(await listen(port));
  });
});

describe('startOnFreePort', () => {
  it('starts on another port when the one it found was taken first', async () => {
    const offered = [takenPort];
    const { port, started } = await startOnFreePort(listen, inUse, {
      nextPort: async () => offered.shift() ?? freeLoopbackPort(),
    });
    try {
      expect(port).not.toBe(takenPort);
      expect(started.address()).toMatchObject({ port });
    } finally {
      await close(started);
    }
  });

  it('gives up after `attempts` taken ports, with the launch’s own error', async () => {
    let asked = 0;
    const nextPort = async () => {
      asked++;
      return takenPort;
    };
    await expect(startOnFreePort(listen, inUse, { nextPort, attempts: 3 })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    expect(asked).toBe(3);
  });

  it('fails at once when the launch fails for another reason', async () => {
    let launches = 0;
    const refused = startOnFreePort(async () => {
      launches++;
      throw new Error('the binary is missing');
    }, inUse);
    await expect(refused).rejects.toThrow('the binary is missing');
    expect(launches).toBe(1);
  });

  it.each([
    [{ attempts: 0 }, 'attempts: must be more than 0'],
    [{ attempts: 1.5 }, 'attempts: must be int'],
    [{ nextPort: 8080 }, 'nextPort: must be a function'],
    [{ tries: 3 }, 'tries: is not an option (attempts, nextPort)'],
  ])('refuses the options %j: %s', async (options, problem) => {
    await expect(startOnFreePort(listen, inUse, options as never)).rejects.toThrow(
      new TypeError(`Invalid startOnFreePort options: ${problem}`),
    );
  });
});

describe('the Redis starters’ options', () => {
  it.each([
    [{ cluster: true }, 'cluster: is not an option'],
    [{ clusterEnabled: 'yes' }, 'clusterEnabled: must be boolean'],
    [
      { clusterEnabled: true, clusterNodeTimeoutMs: -1 },
      'clusterNodeTimeoutMs: must be more than 0',
    ],
    [{ clusterNodeTimeoutMs: 500 }, 'clusterNodeTimeoutMs: only with clusterEnabled: true'],
  ])('startRedisServer(%j) is refused before anything starts: %s', async (options, problem) => {
    await expect(startRedisServer(options as never)).rejects.toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: expect.stringContaining(`Invalid startRedisServer options: ${problem}`),
      }),
    );
  });

  it.each([
    [{ masters: 2 }, 'masters: must be at least 3'],
    [{ replicas: 0 }, 'replicas: is not an option'],
    [{ replicasPerMaster: -1 }, 'replicasPerMaster: must be at least 0'],
  ])('startRedisCluster(%j) is refused before anything starts: %s', async (options, problem) => {
    await expect(startRedisCluster(options as never)).rejects.toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: expect.stringContaining(`Invalid startRedisCluster options: ${problem}`),
      }),
    );
  });
});
