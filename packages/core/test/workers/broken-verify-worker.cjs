// A verifying worker that cannot start, as after a broken install, for offload.test.ts.
throw new Error('broken install');
