// Receive Beacon's webhooks and verify them the Standard Webhooks way (Node 18+, no packages).
//
//   WEBHOOK_SECRET=whsec_… node verify_webhook.mjs --port 8001
//
// Prints one JSON line per verified event and answers 204; anything unsigned, forged, or more than
// five minutes off gets 400 and is not processed.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const TOLERANCE_SECONDS = 5 * 60;

export function verify(secret, headers, body, now = Date.now() / 1000) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) throw new Error("missing webhook headers");
  if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > TOLERANCE_SECONDS) {
    throw new Error("timestamp too old, too new or malformed");
  }
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key)
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]))
    .digest();
  for (const signature of signatures.split(" ")) {
    const [version, value] = signature.split(",");
    const given = Buffer.from(value ?? "", "base64");
    if (version === "v1" && given.length === expected.length && timingSafeEqual(given, expected)) {
      return JSON.parse(body.toString("utf8"));
    }
  }
  throw new Error("no matching signature");
}

const args = process.argv.slice(2);
const port = args.includes("--port") ? Number(args[args.indexOf("--port") + 1]) : 8001;
const secret = process.env.WEBHOOK_SECRET;

createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    try {
      const event = verify(secret, request.headers, body);
      response.writeHead(204).end();
      console.log(JSON.stringify({ id: request.headers["webhook-id"], type: event.type, data: event.data }));
    } catch (problem) {
      response.writeHead(400).end();
      console.log(JSON.stringify({ refused: problem.message }));
    }
  });
}).listen(port, "127.0.0.1", () => console.log(JSON.stringify({ listening: port })));
