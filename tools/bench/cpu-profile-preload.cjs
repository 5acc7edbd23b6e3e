// Loaded into the service under test with NODE_OPTIONS=--require (Node refuses --cpu-prof in NODE_OPTIONS, and
// the service's start command is shared). The first SIGUSR2 starts V8's sampling profiler, the second stops it
// and writes <BENCH_CPU_PROFILE_DIR>/service-<pid>.cpuprofile, so the profile covers only the measured load.
'use strict';
const inspector = require('node:inspector');
const { mkdirSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const directory = process.env.BENCH_CPU_PROFILE_DIR;
if (directory) {
  const session = new inspector.Session();
  session.connect();
  // In-process sessions answer synchronously, so each post() has finished when it returns.
  session.post('Profiler.enable');
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      session.post('Profiler.start');
      running = true;
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) {
        process.stderr.write(`cpu-profile-preload: ${error.message}\n`);
        return;
      }
      mkdirSync(directory, { recursive: true });
      const file = join(directory, `service-${process.pid}.cpuprofile`);
      // Written under another name first so that the bench never reads half a file.
      writeFileSync(`${file}.partial`, JSON.stringify(result.profile));
      renameSync(`${file}.partial`, file);
    });
  });
}
