// Apollo Client (the web client, @apollo/client) uploading through apollo-upload-client's
// UploadHttpLink to a live Beacon, set up exactly as docs/media.md "Uploads from browser clients" says.
//
//   node upload_apollo.mjs SPEC_JSON
//   SPEC_JSON: {"url": ".../graphql", "token": "…", "headers": {…}, "png": "<base64>"}
//
// `headers` is what the link is constructed with besides Authorization: the documented
// {"Apollo-Require-Preflight": "true"}, or nothing at all (the libraries' defaults). Prints one JSON
// line: {"data": …} when the mutation ran, or {"error": {...}} with what Apollo Client reported.
import { ApolloClient, InMemoryCache, gql } from "@apollo/client";
import UploadHttpLink from "apollo-upload-client/UploadHttpLink.mjs";

const spec = JSON.parse(process.argv[2]);

const client = new ApolloClient({
  cache: new InMemoryCache(),
  link: new UploadHttpLink({
    uri: spec.url,
    headers: { Authorization: `Bearer ${spec.token}`, ...spec.headers },
  }),
});

const UPLOAD = gql`
  mutation UploadPoster($file: Upload!, $input: MediaInput) {
    uploadMedia(file: $file, input: $input) {
      asset { id kind mimeType byteSize title }
      errors { field code message }
    }
  }
`;

const file = new File([Buffer.from(spec.png, "base64")], "poster.png", { type: "image/png" });
try {
  const { data } = await client.mutate({
    mutation: UPLOAD,
    variables: { file, input: { title: "海报", altText: "禁毒宣传海报" } },
  });
  console.log(JSON.stringify({ data }));
} catch (error) {
  console.log(
    JSON.stringify({
      error: {
        name: error.name,
        statusCode: error.statusCode ?? null,
        message: error.message,
        errors: error.errors ?? null,
        bodyText: error.bodyText ?? null,
      },
    }),
  );
}
