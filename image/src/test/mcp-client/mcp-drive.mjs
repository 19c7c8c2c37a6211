// Drives one `agent-wormhole mcp` server with the official TypeScript MCP client, step by step.
//
//   node mcp-drive.mjs <command> [args...]
//
// Starts the command as an MCP server over stdio (StdioClientTransport), initializes, then reads one
// JSON step per line from its own stdin and prints one JSON line per outcome on stdout:
//   {"id":N,"op":"list"}                                -> {"id":N,"ok":true,"result":{tools...}}
//   {"id":N,"op":"call","tool":T,"args":{...}}          -> {"id":N,"ok":true,"result":CallToolResult}
//                                                          or {"id":N,"ok":false,"error":{"code":C,"message":M}}
//   {"id":N,"op":"abort","tool":T,"args":{...}}         -> starts the call, makes sure the server has it (a ping
//                                                          after it), aborts it (notifications/cancelled), and
//                                                          prints {"id":N,"ok":false,"aborted":true}
//   {"id":N,"op":"close"}                               -> closes the client (stdin of the server ends) and prints
//                                                          {"id":N,"closed":true,"exitCode":E,"signal":S,"pid":P,"stderr":"..."}
// Notifications from the server are printed as {"notification":{"method":...,"params":...}}.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import readline from 'node:readline';

const [command, ...args] = process.argv.slice(2);
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const transport = new StdioClientTransport({ command, args, env: { ...process.env }, stderr: 'pipe' });
let stderr = '';
transport.stderr.on('data', (chunk) => { stderr += chunk.toString('utf8'); });
const client = new Client({ name: 'agent-wormhole-it', version: '1.0.0' });
client.fallbackNotificationHandler = async (n) => print({ notification: n });

await client.connect(transport);
const proc = transport._process;
const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
print({ ready: true, pid: transport.pid,
  server: client.getServerVersion(), capabilities: client.getServerCapabilities() });

const failure = (e) => ({ code: e?.code ?? null, message: String(e?.message ?? e) });
const timeout = 180000;

async function step(s) {
  switch (s.op) {
    case 'list':
      return { id: s.id, ok: true, result: await client.listTools() };
    case 'call':
      try {
        return { id: s.id, ok: true, result: await client.callTool({ name: s.tool, arguments: s.args }, undefined, { timeout }) };
      } catch (e) {
        return { id: s.id, ok: false, error: failure(e) };
      }
    case 'abort': {
      const controller = new AbortController();
      const call = client.callTool({ name: s.tool, arguments: s.args }, undefined, { signal: controller.signal, timeout })
        .then((r) => ({ result: r }), (e) => ({ error: failure(e) }));
      await client.ping();
      controller.abort('the test cancels it');
      const outcome = await call;
      return { id: s.id, ok: false, aborted: outcome.error !== undefined, outcome };
    }
    case 'close': {
      await client.close();
      const { code, signal } = await exited;
      return { id: s.id, closed: true, exitCode: code, signal, pid: proc.pid, stderr };
    }
    default:
      return { id: s.id, ok: false, error: { code: null, message: 'unknown op ' + s.op } };
  }
}

// Steps run one after another, in the order they came.
let chain = Promise.resolve();
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  chain = chain.then(async () => {
    const s = JSON.parse(line);
    print(await step(s));
    if (s.op === 'close') process.exit(0);
  }).catch((e) => print({ fatal: String(e?.stack ?? e) }));
});
