// What a web frontend does with Beacon through Apollo Client (@apollo/client 4, from npm), each step
// as docs/api-guide.md describes it, against a live server (issue 12, "must show"):
//
//   1. a page of lessons in one locale (the explicit `locale` filter), with Relay paging;
//   2. an upload with the documented setup (apollo-upload-client's UploadHttpLink plus the
//      Apollo-Require-Preflight header): a client's private attachment, sent in their consultation;
//   3. that private attachment shown through its `signedUrl` in an <img> of headless Chromium
//      (Debian's, driven by playwright-core): an admin's look, with the reason in the
//      Beacon-Access-Reason header, so the fetch lands in the consultation's audit;
//   4. a rate limit: the next upload over the hourly allowance, refused with retryAfterSeconds.
//
//   node apollo_client.mjs SPEC_JSON
//   SPEC_JSON: {"url": ".../graphql", "locale": "en", "first": 2, "clientToken": "…", "adminToken": "…",
//               "reason": "…", "consultationId": "…", "png": "<base64>", "chromium": "/usr/bin/chromium"}
//
// Prints one JSON line with what each step saw; tests/conformance/test_conformance_apollo.py asserts it.
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import UploadHttpLink from "apollo-upload-client/UploadHttpLink.mjs";
import { chromium } from "playwright-core";

const spec = JSON.parse(process.argv[2]);
const seen = {};

// 1. Lessons in one locale, a page at a time (anonymous: public reads need no token).
const reader = new ApolloClient({ cache: new InMemoryCache(), link: new HttpLink({ uri: spec.url }) });
const LESSONS = gql`
  query LessonsIn($locale: String!, $first: Int!, $after: String) {
    lessons(first: $first, after: $after, filter: { locale: $locale }) {
      totalCount
      edges { node { id title locale } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const first = await reader.query({ query: LESSONS, variables: { locale: spec.locale, first: spec.first } });
const next = await reader.query({
  query: LESSONS,
  variables: { locale: spec.locale, first: spec.first, after: first.data.lessons.pageInfo.endCursor },
});
seen.lessons = [first.data.lessons, next.data.lessons];

// 2. An upload, set up as docs/media.md says: UploadHttpLink with Apollo-Require-Preflight.
const client = new ApolloClient({
  cache: new InMemoryCache(),
  link: new UploadHttpLink({
    uri: spec.url,
    headers: { Authorization: `Bearer ${spec.clientToken}`, "Apollo-Require-Preflight": "true" },
  }),
});
const ATTACH = gql`
  mutation Attach($file: Upload!) {
    uploadAttachment(file: $file) { asset { id kind url signedUrl } errors { field code message } }
  }
`;
const SEND = gql`
  mutation Send($input: SendMessageInput!) {
    sendMessage(input: $input) { message { id attachments { id } } errors { field code message } }
  }
`;
const png = () => new File([Buffer.from(spec.png, "base64")], "scan.png", { type: "image/png" });
const attached = (await client.mutate({ mutation: ATTACH, variables: { file: png() } })).data.uploadAttachment;
seen.upload = attached;
const sent = (
  await client.mutate({
    mutation: SEND,
    variables: { input: { consultationId: spec.consultationId, body: "诊断书的照片", attachmentIds: [attached.asset.id] } },
  })
).data.sendMessage;
seen.sent = sent;

// 3. The admin's signed link in an <img>: no Authorization header can go with it.
const admin = new ApolloClient({
  cache: new InMemoryCache(),
  link: new HttpLink({
    uri: spec.url,
    headers: { Authorization: `Bearer ${spec.adminToken}`, "Beacon-Access-Reason": spec.reason },
  }),
});
const SIGNED = gql`
  query Attachment($id: ID!) {
    node(id: $id) { ... on Message { attachments { id signedUrl } } }
  }
`;
const node = (await admin.query({ query: SIGNED, variables: { id: sent.message.id } })).data.node;
const signedUrl = node.attachments[0].signedUrl;
const browser = await chromium.launch({
  executablePath: spec.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  const statuses = [];
  page.on("response", (response) => statuses.push([response.url(), response.status()]));
  const html = `<!doctype html><img id="attachment" alt="诊断书" src="${signedUrl.replaceAll("&", "&amp;")}">`;
  await page.setContent(html);
  await page.waitForFunction(() => document.getElementById("attachment").complete);
  seen.image = {
    signedUrl,
    naturalWidth: await page.$eval("#attachment", (img) => img.naturalWidth),
    naturalHeight: await page.$eval("#attachment", (img) => img.naturalHeight),
    statuses,
  };
} finally {
  await browser.close();
}

// 4. One upload more than the hourly allowance (the server runs with BEACON_UPLOADS_PER_HOUR=1).
// The upload gate refuses it before reading the body: HTTP 429 with Retry-After, and the body is a
// GraphQL error whose extensions carry the code and retryAfterSeconds.
try {
  const over = await client.mutate({ mutation: ATTACH, variables: { file: png() } });
  seen.limit = { data: over.data };
} catch (error) {
  seen.limit = {
    name: error.name,
    statusCode: error.statusCode ?? null,
    retryAfterHeader: error.response?.headers?.get("retry-after") ?? null,
    body: error.bodyText ? JSON.parse(error.bodyText) : null,
  };
}

console.log(JSON.stringify(seen));
