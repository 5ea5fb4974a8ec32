import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `npm run dev`: the API server, restarted on change (tsx watch), and Vite's dev server with
 * hot reload, which proxies /api to it. Open http://localhost:5173/. Ctrl-C stops both.
 */
const port = process.env.PORT ?? '8080';
const children: ChildProcess[] = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/main.ts'], { stdio: 'inherit', env: { ...process.env, HOST: process.env.HOST ?? '127.0.0.1', PORT: port } }),
  spawn('npx', ['vite'], { stdio: 'inherit', env: { ...process.env, PINGAN_API_URL: process.env.PINGAN_API_URL ?? `http://127.0.0.1:${port}` } }),
];

let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
};
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
