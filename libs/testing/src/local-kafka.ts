import { KcatNotInstalledError, type MockKafka, startMockKafka } from './kafka-mock';
import { NPM_KAFKA_PACKAGE, type NpmMockKafka, NpmKafkaMockNotInstalledError, startNpmMockKafka } from './npm-kafka-mock';

/** Which local mock cluster runs: Debian's kcat, or the npm package's bundled librdkafka when kcat is absent. */
export interface LocalMockKafka {
  mock: MockKafka;
  via: 'kcat' | 'npm';
  /** For `[infra]` lines and the `npm start` summary, e.g. "npm mock cluster (@confluentinc/kafka-javascript, librdkafka 2.15.0)". */
  label: string;
  /** Why this one was chosen ("kcat not on PATH" for the npm one). */
  reason?: string;
}

export interface LocalMockKafkaStarters {
  startMockKafka(): Promise<MockKafka>;
  startNpmMockKafka(): Promise<NpmMockKafka>;
}

/** Neither local mock is there; the message says what to install. */
export class NoLocalKafkaError extends Error {
  constructor(npmReason: string) {
    super(`kcat is not on PATH (apt-get install kcat) and ${npmReason} — npm install builds it from source where no prebuilt binary can be fetched`);
    this.name = 'NoLocalKafkaError';
  }
}

const defaultStarters: LocalMockKafkaStarters = { startMockKafka: () => startMockKafka(), startNpmMockKafka: () => startNpmMockKafka() };

/** kcat's mock cluster when kcat is installed; otherwise the same mock cluster from the npm package. */
export async function startLocalMockKafka(starters: Partial<LocalMockKafkaStarters> = {}): Promise<LocalMockKafka> {
  const { startMockKafka: startKcat, startNpmMockKafka: startNpm } = { ...defaultStarters, ...starters };
  try {
    return { mock: await startKcat(), via: 'kcat', label: 'kcat mock cluster' };
  } catch (error) {
    if (!(error instanceof KcatNotInstalledError)) throw error;
  }
  try {
    const mock = await startNpm();
    return { mock, via: 'npm', label: `npm mock cluster (${NPM_KAFKA_PACKAGE}, librdkafka ${mock.librdkafkaVersion})`, reason: 'kcat not on PATH' };
  } catch (error) {
    if (error instanceof NpmKafkaMockNotInstalledError) throw new NoLocalKafkaError(error.message);
    throw error;
  }
}
