// Delta sync with Beacon: keep a local mirror of its published lessons and stories (Node 18+, no packages).
//
//   BEACON_URL=https://beacon.example.org BEACON_API_KEY=bk_… node sync.mjs [--once] [--state mirror.json]
//
// Each pass asks syncContent for everything after the saved token, page by page while hasMore,
// stores new and changed items, drops the ids that stopped being public, and saves the new token.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const SYNC = `
query Sync($token: String, $first: Int) {
  syncContent(syncToken: $token, first: $first) {
    items {
      __typename
      ... on Lesson { id slug locale title summary updatedAt }
      ... on Story { id slug locale title summary updatedAt }
    }
    deletedIds
    nextSyncToken
    hasMore
  }
}`;

async function graphql(url, key, query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export async function syncOnce(url, key, state) {
  let changed = 0;
  let removed = 0;
  for (;;) {
    const page = (await graphql(url, key, SYNC, { token: state.token, first: 50 })).syncContent;
    for (const item of page.items) {
      state.items[item.id] = item;
      changed += 1;
    }
    for (const gone of page.deletedIds) {
      if (gone in state.items) {
        delete state.items[gone];
        removed += 1;
      }
    }
    state.token = page.nextSyncToken;
    if (!page.hasMore) return { changed, removed, total: Object.keys(state.items).length };
  }
}

async function main() {
  const args = process.argv.slice(2);
  const once = args.includes("--once");
  const statePath = args.includes("--state") ? args[args.indexOf("--state") + 1] : "mirror.json";
  const url = process.env.BEACON_URL.replace(/\/$/, "");
  const key = process.env.BEACON_API_KEY;
  const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : { token: null, items: {} };
  for (;;) {
    const summary = await syncOnce(url, key, state);
    writeFileSync(statePath, JSON.stringify(state, null, 1));
    console.log(JSON.stringify(summary));
    if (once) return;
    await sleep(60_000);
  }
}

await main();
