import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TEST_ADMIN_KEY } from './testConfig';

export interface ChildService {
  child: ChildProcess;
  /** http://127.0.0.1:port/api/v1 */
  base: string;
  output(): string;
}

/**
 * Starts the built server (`dist/src/main.js` under `cwd`) as a child process and resolves once it
 * listens; with `openFiles`, under that limit of open descriptors (ulimit -n).
 */
export async function startChildService(
  env: Record<string, string>,
  dataDir: string,
  options: { cwd?: string; openFiles?: number } = {},
): Promise<ChildService> {
  const { cwd = '.', openFiles } = options;
  const main = join('dist', 'src', 'main.js');
  const [command, args] =
    openFiles === undefined ? [process.execPath, [main]] : ['sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$1"`, process.execPath, main]];
  const child = spawn(command, args, {
    cwd,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
      SMTP_ALLOW_PRIVATE_HOSTS: 'true',
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start:\n${output.slice(-3000)}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      const match = /"port":(\d+)[^\n]*"msg":"kos-notify started"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited with ${code}:\n${output.slice(-3000)}`)));
  });
  return { child, base: `http://127.0.0.1:${port}/api/v1`, output: () => output };
}

export async function killHard(service: ChildService): Promise<void> {
  if (service.child.exitCode !== null) return;
  const exited = new Promise((resolve) => service.child.once('exit', resolve));
  service.child.kill('SIGKILL');
  await exited;
}

/** POSTs JSON with the admin key. */
export function postJson(url: string, body: unknown, method = 'POST'): Promise<Response> {
  return fetch(url, { method, headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}
