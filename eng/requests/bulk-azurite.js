// Azurite's Table service (the repository's node_modules/azurite, in memory, on 127.0.0.1) with one addition for
// measuring: rows can be loaded in bulk, straight into the emulator's store, instead of one request each. Azurite checks
// every insert against a scan of its partition and splices two sorted indices, so seeding 100,000 stories of one
// country (millions of rows in one partition) through its API would take hours; the requests that are measured still go
// through its HTTP API and query engine, unchanged.
//   node bulk-azurite.js AZURITE_PACKAGE_DIR PORT
// Prints "ready". Then reads commands from standard input, one per line:
//   load FILE ACCOUNT TABLE   rows as JSON lines {"PartitionKey","RowKey","properties"} (the body the SDK would send,
//                             with its @odata.type annotations), each key at most once and not already stored;
//                             prints "loaded N".
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const readline = require("readline");

const [azuriteDir, port] = process.argv.slice(2);
const dist = path.join(azuriteDir, "dist", "src");
const TableServer = require(path.join(dist, "table", "TableServer")).default;
const TableConfiguration = require(path.join(dist, "table", "TableConfiguration")).default;
const { truncatedISO8061Date } = require(path.join(dist, "common", "utils", "utils"));
const { newTableEntityEtag } = require(path.join(dist, "table", "utils", "utils"));

async function load(server, file, account, table) {
  const collection = server.metadataStore.db.getCollection(`${account}$${table}`);
  if (!collection) {
    throw new Error(`No table ${table} in account ${account}: create it first.`);
  }

  // Indices rebuilt once at the end rather than spliced per row.
  collection.adaptiveBinaryIndices = false;
  // One time and ETag for the whole load, and each partition key once: millions of rows fit in less memory.
  let count = 0;
  const modified = truncatedISO8061Date(new Date(), true, true);
  const eTag = newTableEntityEtag(modified);
  const partitions = new Map();
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length === 0) {
      continue;
    }

    const row = JSON.parse(line);
    const partition = partitions.get(row.PartitionKey) ?? partitions.set(row.PartitionKey, row.PartitionKey).get(row.PartitionKey);
    row.properties.PartitionKey = partition;
    row.properties.Timestamp = modified;
    row.properties["Timestamp@odata.type"] = "Edm.DateTime";
    collection.insert({ PartitionKey: partition, RowKey: row.properties.RowKey, properties: row.properties, lastModifiedTime: modified, eTag });
    count++;
  }

  collection.ensureAllIndexes(true);
  collection.adaptiveBinaryIndices = true;
  return count;
}

(async () => {
  const config = new TableConfiguration(
    "127.0.0.1", Number(port), 600 /* keep-alive seconds: a query of millions of rows takes seconds */, path.join(os.tmpdir(), `alerts-bulk-azurite-${port}.json`),
    false, false, undefined, undefined, true /* loose */, true /* skipApiVersionCheck */, "", "", "", undefined, false,
    true /* in memory */);
  const server = new TableServer(config);
  await server.start();
  console.log("ready");
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [command, file, account, table] = line.trim().split(" ");
    if (command === "load") {
      try {
        console.log(`loaded ${await load(server, file, account, table)}`);
      } catch (error) {
        console.log(`failed ${error.message}`);
      }
    }
  }

  await server.close();
  process.exit(0);
})().catch(error => {
  console.error(error);
  process.exit(1);
});
