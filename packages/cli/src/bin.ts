#!/usr/bin/env node
// The `cognito-guard` executable.

import { once } from 'node:events';
import { processIo } from './io';
import { runCli } from './program';

const stop = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
process.exitCode = await runCli(process.argv.slice(2), processIo(), stop);
process.exit();
