/** A worker of renderEdition: renders its share of the pages and posts back what it wrote. */
import { parentPort, workerData } from 'node:worker_threads';
import { renderShare, type Share } from './edition.js';

parentPort!.postMessage(await renderShare(workerData as Share));
