// What the bench scripts share: which commands the machine has, pinning to a core, a pause, and a
// process's CPU time and memory as Linux counts them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Whether a command is on the PATH. */
export const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Two cores or more and taskset: each server on core 0, the load on core 1, so that they do not share one. */
export const pin = has('taskset') && cpus().length >= 2;

/** [command, args] that run `cmd args` on `core` when pinning (taskset execs it: the same pid). */
export const onCore = (core, cmd, args) => (pin ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** User + system CPU time of a process, in ms. */
export const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

/** Resident memory of a process, in MB. */
export const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
