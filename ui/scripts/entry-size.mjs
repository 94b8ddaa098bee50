// The initial page load's JavaScript: the chunks index.html loads (entry script + modulepreloads), gzipped.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "modelyard", "studio");
const html = readFileSync(resolve(dist, "index.html"), "utf8");
const chunks = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
let raw = 0;
let gzip = 0;
for (const chunk of chunks) {
  const bytes = readFileSync(resolve(dist, chunk));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  console.log(`${chunk}  ${(bytes.length / 1024).toFixed(1)} KiB  gzip ${(zipped / 1024).toFixed(1)} KiB`);
}
console.log(`initial JavaScript: ${chunks.length} chunk(s), ${(raw / 1024).toFixed(1)} KiB, gzip ${(gzip / 1024).toFixed(1)} KiB`);
const LIMIT = 1024 * 1024;
if (gzip > LIMIT) {
  console.error(`over the 1 MiB compressed budget for the initial load`);
  process.exit(1);
}
