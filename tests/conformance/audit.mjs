// Runs graphql-http's GraphQL-over-HTTP server audits against a live Beacon.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql  → one JSON array on stdout.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    entry.responseStatus = result.response?.status;
  }
  results.push(entry);
}
process.stdout.write(JSON.stringify(results));
