'use strict';
/**
 * Child process of npm-kafka-mock.ts: starts librdkafka's mock cluster inside @confluentinc/kafka-javascript
 * (a client configured with `test.mock.num.brokers` hosts the brokers), prints one JSON line
 * `{"brokers":[...]}` read from the cluster's metadata, and keeps the brokers up until its stdin closes
 * (the parent stopped it or died). Plain CommonJS so that `node` runs it without a TypeScript loader.
 */
const brokerCount = Number(process.argv[2] || 1);

let Kafka;
try {
  Kafka = require('@confluentinc/kafka-javascript');
} catch (error) {
  process.stdout.write(`${JSON.stringify({ notInstalled: error.message })}\n`);
  process.exit(3);
}

const host = new Kafka.Producer({
  // Replaced by the mock brokers' addresses; librdkafka requires some value.
  'bootstrap.servers': '127.0.0.1:1',
  'test.mock.num.brokers': brokerCount,
  'client.id': 'switchboard-npm-kafka-mock',
});

function fail(error) {
  process.stdout.write(`${JSON.stringify({ error: String(error && error.message ? error.message : error) })}\n`);
  process.exit(1);
}

host.on('event.error', fail);
// connect() answers with the cluster's metadata: the mock brokers' own addresses.
host.connect({ timeout: 10000 }, (error, metadata) => {
  if (error) return fail(error);
  const brokers = metadata.brokers.map((broker) => `${broker.host}:${broker.port}`);
  process.stdout.write(`${JSON.stringify({ brokers, librdkafka: Kafka.librdkafkaVersion })}\n`);
});

const stop = () => host.disconnect(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
