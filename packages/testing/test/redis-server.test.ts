import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, redisServerAvailable, startRedisServer } from '../src';
import { launchOnFreePort } from '../src/redis-server';

// A port found free can be taken before redis-server binds it (test files start servers side by
// side): the kit starts it on another port rather than fail the suite that asked for it.
(redisServerAvailable() ? describe : describe.skip)('starting redis-server', () => {
  let dir: string;
  let taken: Server;
  let takenPort: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cognito-guard-redis-test-'));
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('tries another port when the one it found is taken first', async () => {
    const offered: number[] = [];
    const ports = [takenPort, 0];
    const { port, child } = await launchOnFreePort(dir, [], async () => {
      const next = ports.shift() ?? 0;
      const port = next === 0 ? await freeLoopbackPort() : next;
      offered.push(port);
      return port;
    });
    try {
      expect(offered).toHaveLength(2);
      expect(offered[0]).toBe(takenPort);
      expect(port).toBe(offered[1]);
      expect(port).not.toBe(takenPort);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('gives up after five taken ports, with redis-server’s own words', async () => {
    let asked = 0;
    const start = launchOnFreePort(dir, [], async () => {
      asked++;
      return takenPort;
    });
    await expect(start).rejects.toThrow(/Address already in use/);
    expect(asked).toBe(5);
  });

  it('fails at once for anything else than a taken port', async () => {
    let asked = 0;
    const start = launchOnFreePort(dir, ['--no-such-directive', 'yes'], async () => {
      asked++;
      return freeLoopbackPort();
    });
    await expect(start).rejects.toThrow(/redis-server exited with 1/);
    expect(asked).toBe(1);
  });

  it('serves on the port it reports', async () => {
    const redis = await startRedisServer();
    try {
      const reply = await ping(redis.port);
      expect(reply).toBe('+PONG\r\n');
    } finally {
      await redis.stop();
    }
  });
});

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', (data: Buffer) => {
      socket.end();
      resolve(data.toString());
    });
    socket.write('PING\r\n');
  });
}
