/**
 * The bare node:http server of the HTTP ceiling, in its own process: the same bytes as the API's
 * /health (body, content-type, keep-alive) and nothing else, so the gap to it is the framework's,
 * the routing's and the metrics' cost. Plain JavaScript run with `node -e` (no tsx loader in it).
 */
import { spawn } from 'node:child_process';
import { onExitSync } from '../host/lifecycle.ts';
import { trackChild } from '../host/children.ts';

const SOURCE = `
const http = require('node:http');
const body = Buffer.from('{"status":"ok"}');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 72000; // 72 s, as the API's Fastify
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000; // then SIGKILL

export interface BareHttpServer {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export function startBareHttpServer(): Promise<BareHttpServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SOURCE], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    trackChild(child, 'bare HTTP server'); // a kill -9 of jobbench: the next jobbench stops it
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const killOnExit = onExitSync(() => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      killOnExit();
    };
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`bare HTTP server did not listen within ${START_TIMEOUT_MS / 1000} s: ${stderr.trim()}`));
    }, START_TIMEOUT_MS);
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /port (\d+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ baseUrl: `http://127.0.0.1:${m[1]}`, pid: child.pid!, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      killOnExit();
      reject(new Error(`bare HTTP server exited with ${code}: ${stderr.trim()}`)); // ignored once resolved
    });
  });
}
