import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { WebSocket } from 'ws';

// The WebSocket clients of bench-live.ts, on a thread of their own: reading and parsing
// what hundreds of sockets receive must not run on the server's event loop, or the
// figures would time the clients as much as the server.
//
// Commands from the main thread: connect { url, headers, count } → { connected };
// collect → { receipts } (each [incident number, epoch ms] once per client, then cleared);
// close → { closed }.

export type ClientCommand =
  | { cmd: 'connect'; url: string; headers: Record<string, string>; count: number; titlePrefix: string }
  | { cmd: 'collect' }
  | { cmd: 'close' };

export type ClientReply = { connected: number } | { receipts: [number, number][] } | { closed: true };

const port = parentPort!;
let sockets: WebSocket[] = [];
let receipts: [number, number][] = [];

const now = () => performance.timeOrigin + performance.now();
const reply = (message: ClientReply) => port.postMessage(message);

port.on('message', (command: ClientCommand) => {
  switch (command.cmd) {
    case 'connect':
      void connect(command).then((connected) => reply({ connected }));
      break;
    case 'collect':
      reply({ receipts });
      receipts = [];
      break;
    case 'close':
      for (const ws of sockets) ws.terminate();
      sockets = [];
      reply({ closed: true });
      break;
  }
});

async function connect({ url, headers, count, titlePrefix }: Extract<ClientCommand, { cmd: 'connect' }>): Promise<number> {
  const opened = await Promise.all(
    Array.from({ length: count }, () => {
      const ws = new WebSocket(url, { headers });
      const seen = new Set<number>();
      ws.on('message', (data) => {
        const at = now();
        const message = JSON.parse(String(data)) as { type: string; incident?: { title: string } };
        const title = message.type === 'incident' ? message.incident!.title : '';
        if (!title.startsWith(titlePrefix)) return;
        const n = Number(title.slice(titlePrefix.length));
        if (seen.has(n)) return;
        seen.add(n);
        receipts.push([n, at]);
      });
      return new Promise<WebSocket>((resolve, reject) => {
        ws.once('message', () => resolve(ws)); // hello
        ws.once('error', reject);
      });
    }),
  );
  sockets.push(...opened);
  return opened.length;
}
