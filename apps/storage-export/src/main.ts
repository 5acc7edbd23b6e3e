import { runService } from '@switchboard/platform';
import { setFlagsFromString } from 'node:v8';
import manifest from '../service.json';
import { AppModule } from './app.module';
import { StorageExportConfig } from './config';

// The old generation may grow to 1.25 × what the last full GC kept before the next one (V8's default lets it reach
// 2–4 ×): between full GCs streaming large files otherwise left 30–40 MiB of dead objects resident, the difference
// between meeting and missing the RSS goal (< 200 MB while exporting 1 GiB, npm run bench:export). Not settable in
// NODE_OPTIONS (the manifest's runtimeEnv), hence here, before the app allocates.
setFlagsFromString('--heap-growing-percent=25');

void runService({ manifest, module: AppModule, config: StorageExportConfig });
