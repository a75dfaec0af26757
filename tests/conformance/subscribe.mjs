// graphql-ws's own client against a live Beacon: connect, authenticate in connection_init, subscribe.
// Usage: node subscribe.mjs '{"url": "ws://…/graphql", "token": "…" | null,
//                             "operations": [{"query": "…", "variables": {…}}], "expect": N}'
// Prints one JSON line per happening: {"type":"connected"}, then for operation i
// {"op":i,"type":"next","payload":…} / {"op":i,"type":"error","errors":…} / {"op":i,"type":"complete"},
// and {"type":"closed","code":…} if the socket closes. Exits after `expect` results (next or error)
// or when every operation has ended.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const spec = JSON.parse(process.argv[2] ?? '{}');
if (!spec.url || !Array.isArray(spec.operations)) {
  console.error('usage: node subscribe.mjs JSON');
  process.exit(2);
}
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const client = createClient({
  url: spec.url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  connectionParams: spec.token ? { Authorization: `Bearer ${spec.token}` } : {},
  on: {
    connected: () => print({ type: 'connected' }),
    closed: (event) => print({ type: 'closed', code: event?.code, reason: event?.reason }),
  },
  onNonLazyError: (error) => print({ type: 'closed', code: error?.code, reason: String(error?.reason ?? error) }),
});

let results = 0;
let ended = 0;
const expect = spec.expect ?? spec.operations.length;
const finish = async () => {
  await client.dispose();
  process.exit(0);
};
const counted = () => {
  results += 1;
  if (results >= expect) finish();
};
const done = () => {
  ended += 1;
  if (ended >= spec.operations.length) finish();
};

spec.operations.forEach((operation, op) => {
  client.subscribe(
    { query: operation.query, variables: operation.variables ?? {} },
    {
      next: (payload) => {
        print({ op, type: 'next', payload });
        counted();
      },
      error: (error) => {
        const errors = Array.isArray(error) ? error : [{ message: String(error?.reason ?? error), code: error?.code }];
        print({ op, type: 'error', errors });
        counted();
        done();
      },
      complete: () => {
        print({ op, type: 'complete' });
        done();
      },
    },
  );
});

setTimeout(() => {
  print({ type: 'timeout' });
  process.exit(3);
}, spec.timeoutMs ?? 20000);
